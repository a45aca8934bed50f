"""A production install (no dev dependency group) imports every module of the ``gongkai`` package.

Test-only helpers live under tests/ (e.g. tests/annual_report/report_strategies.py, which needs
hypothesis); this walks the whole package in a fresh interpreter where the dev-only packages cannot be
imported, so a module that needs one of them fails here, not on a server.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Import names of the dev dependency group (pyproject.toml) that a module could import at run time.
DEV_ONLY = (
    "hypothesis",
    "pytest",
    "pytest_django",
    "xdist",
    "factory",
    "time_machine",
    "playwright",
    "pypdf",
    "pdfplumber",
    "pdfminer",
)

SCRIPT = textwrap.dedent(
    """
    import importlib, os, pkgutil, sys

    class Blocked:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (dev-only)", name=name)
            return None

    sys.meta_path.insert(0, Blocked())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    import gongkai

    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        importlib.import_module(info.name)
    print("imported", sum(1 for _ in pkgutil.walk_packages(gongkai.__path__, "gongkai.")))
    """
)


def test_every_module_imports_without_the_dev_dependencies() -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"BLOCKED = {DEV_ONLY!r}\n{SCRIPT}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) > 100
