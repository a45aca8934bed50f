"""scripts/check_architecture.py (run by `make lint`): the real tree passes, a broken one fails."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_architecture.py"


@functools.cache
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_architecture", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in {"__init__.py": "", **files}.items():
        path = tmp_path / "src" / "gongkai" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "src"


def messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in checker().run(tree(tmp_path, files))]


def test_the_real_tree_passes() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    files = {"org/models.py": "from gongkai.core import models\n", "core/models.py": "import datetime\n"}
    assert messages(tmp_path, files) == []


def test_a_forbidden_direction_fails_naming_the_line(tmp_path: Path) -> None:
    files = {"engagement/services.py": "import os\n\nfrom gongkai.portal.identity import validate_phone\n"}
    found = messages(tmp_path, files)
    assert len(found) == 1
    assert found[0].startswith("engagement/services.py:3: forbidden import direction engagement -> portal")


def test_relative_and_lazy_imports_count(tmp_path: Path) -> None:
    files = {
        "core/views.py": "def f():\n    from ..org import access\n",
        "core/__init__.py": "from gongkai import org\n",
    }
    found = messages(tmp_path, files)
    assert any(m.startswith("core/views.py:2: forbidden import direction core -> org") for m in found)
    assert any(m.startswith("core/__init__.py:1: forbidden import direction core -> org") for m in found)


def test_apps_importing_each_other_are_a_cycle(tmp_path: Path) -> None:
    files = {
        "org/a.py": "import gongkai.publications.b\n",
        "publications/b.py": "from gongkai.org import a\n",
    }
    found = messages(tmp_path, files)
    assert "import graph: apps import each other in a cycle: org <-> publications" in found


def test_an_unknown_app_must_be_placed(tmp_path: Path) -> None:
    assert messages(tmp_path, {"newapp/x.py": ""}) == [
        "newapp/x.py: app 'newapp' is not in ALLOWED: add it with the apps it may import"
    ]


def test_an_oversize_function_and_module_fail(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(85))
    files = {
        "core/long.py": f"class A:\n    def method(self):\n{body.replace('    ', '        ')}\n\ndef f():\n{body}",
        "core/big.py": "x = 1\n" * 601,
        "core/migrations/0001_initial.py": "x = 1\n" * 700,
    }
    found = messages(tmp_path, files)
    assert sorted(found) == [
        "core/big.py: module has 601 lines (over 600): split it",
        "core/long.py:2: function A.method has 86 lines (over 80)",
        "core/long.py:90: function f has 86 lines (over 80)",
    ]


def test_a_statutory_label_outside_formats_fails(tmp_path: Path) -> None:
    files = {
        "core/choices.py": '"""Quoting （三）不予公开 in a docstring is fine."""\nA = "（三）不予公开"\nB = "属于国家秘密"\n',
        "annual_report/formats.py": 'A = "（三）不予公开"\n',
    }
    found = messages(tmp_path, files)
    assert found == [
        "core/choices.py:2: statutory label '（三）不予公开' spelled out: take it from annual_report/formats.py",
        "core/choices.py:3: statutory label '属于国家秘密' spelled out: take it from annual_report/formats.py",
    ]


def test_the_command_exits_non_zero_on_a_broken_tree(tmp_path: Path) -> None:
    src = tree(tmp_path, {"core/x.py": "from gongkai.org import models\n"})
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(src)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "forbidden import direction core -> org" in result.stdout
