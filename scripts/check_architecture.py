#!/usr/bin/env python3
"""Architecture checks run by ``make lint`` (issue 10, points 1, 4 and 7).

Plain Python over the AST of ``src/gongkai``; no dependency beyond the project itself. It fails (exit 1)
with one line per problem when:

1. **imports** — a module of one top-level package of ``gongkai`` (an "app": ``core``, ``org``,
   ``annual_report``, ``workdays``, ``cli`` …) imports another one that ``ALLOWED`` below does not list
   for it, or the app import graph has a cycle (apps importing each other, directly or through others).
   Every ``import gongkai.x`` / ``from gongkai.x import …`` / relative import counts, also one inside a
   function: a lazy import is still a dependency;
2. **sizes** — a module outside ``migrations/`` is over ``MAX_MODULE_LINES`` lines, or a function or
   method over ``MAX_FUNCTION_LINES`` lines, unless ``KNOWN_OVERSIZE`` lists it;
3. **statutory labels** — a Table 三 row label or outcome group label of ``gongkai.annual_report.formats``
   (also without its numbering: 属于国家秘密 for 1.属于国家秘密) is a string literal anywhere else in
   ``src/gongkai`` instead of being taken from ``formats``, unless the file is in ``KNOWN_LITERALS``.
   Docstrings and comments may quote the statute.

Usage: ``python scripts/check_architecture.py [SRC_ROOT]``, SRC_ROOT being the directory that holds the
``gongkai`` package (default: this repository's ``src``). An allow-list entry that matches nothing any
more is printed as a note ("remove the entry") without failing, since the people shrinking the lists
work in parallel.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# -- 1. allowed import directions ----------------------------------------------------------------------
# app -> the apps it may import; every arrow not listed is forbidden. Read as: "core ← everything",
# "annual_report ← the ledger apps, never → a Django app", "nothing → portal but config".
LEDGER = {
    "core",
    "org",
    "publications",
    "inforequests",
    "appeals",
    "engagement",
    "responsiveness",
    "search",
    "reporting",
    "participation",
}
ALLOWED: dict[str, set[str]] = {
    # The engine and the working-day arithmetic are plain libraries (usable without the web app).
    "annual_report": set(),
    "workdays": set(),
    # Shared bases: audit log, outbox, calendar table, statutory choices, widgets, identity numbers.
    "core": {"annual_report", "workdays"},
    "org": {"core"},
    "publications": {"core", "org", "annual_report", "workdays"},
    "inforequests": {"core", "org", "annual_report", "workdays"},
    # An appeal names the disclosure request it is about.
    "appeals": {"core", "org", "annual_report", "workdays", "inforequests"},
    "engagement": {"core", "org", "annual_report", "workdays", "inforequests"},
    # Hot-topic responses, 督查督办 and the 五方联席会: the office's own records beside disclosure.
    "responsiveness": {"core", "org"},
    "search": {"core", "org", "publications"},
    # Polls, consultations, classroom, service points, traffic notices (issue 13, points 3 and 4).
    "participation": {"core", "org"},
    # The roll-up reads every record app.
    "reporting": LEDGER - {"reporting", "search", "participation"} | {"annual_report", "workdays", "ranking"},
    # The quarterly 考核排名 reads the record apps it scores.
    "ranking": {"core", "org", "publications", "inforequests", "engagement", "responsiveness", "workdays"},
    # The staff workbench shell: dashboard, calendar pages, navigation context.
    "workbench": {"core", "org", "workdays"},
    # The public site sits on top of the ledger.
    "portal": LEDGER | {"annual_report", "workdays", "grid"},
    # Notices from the outbox to applicants and staff: reads the records it tells people about.
    "delivery": LEDGER - {"search", "reporting", "participation"} | {"annual_report", "workdays"},
    # 随手拍: its forwarding reuses delivery's signing and channel handler.
    "grid": {"core", "org", "inforequests", "delivery"},
    "demo_ledger": LEDGER | {"annual_report", "workdays", "grid"},
    # Backup and restore: the database snapshot and the stored files of core's private storage.
    "backup": {"core"},
    # Serving and operations: gunicorn, /healthz, check-deploy, log filters.
    "ops": {"core", "org", "workdays"},
    "cli": LEDGER | {"annual_report", "workdays", "demo_ledger", "config", "backup", "grid", "ops"},
    "config": LEDGER
    | {"annual_report", "workdays", "workbench", "portal", "delivery", "grid", "ops", "ranking"},
}

# -- 2. sizes --------------------------------------------------------------------------------------------
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# Oversize code that other changes are splitting right now (issue 10, point 7). A module path relative to
# src/gongkai allows the module's length; "module::Qualified.name" allows one function. Remove an entry
# when its split lands.
KNOWN_OVERSIZE: set[str] = set()

# -- 3. statutory labels ---------------------------------------------------------------------------------
LABELS_HOME = "annual_report/formats.py"
NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|[0-9]+[.．、]?)\s*")
# Files that still spell statutory labels out while point 1 (the vocabulary spelled once) is being done.
# Remove an entry when its file takes the labels from formats.
KNOWN_LITERALS: set[str] = set()


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Tree:
    """The parsed modules of one ``gongkai`` package, keyed by path relative to it ("core/models.py")."""

    package: Path
    sources: dict[str, str] = field(default_factory=dict)
    modules: dict[str, ast.Module] = field(default_factory=dict)

    @classmethod
    def read(cls, package: Path) -> Tree:
        tree = cls(package)
        for path in sorted(package.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(package).as_posix()
            tree.sources[rel] = path.read_text(encoding="utf-8")
            tree.modules[rel] = ast.parse(tree.sources[rel], filename=str(path))
        return tree


def is_migration(rel: str) -> bool:
    return "migrations" in rel.split("/")


# -- imports ---------------------------------------------------------------------------------------------
def imported_modules(rel: str, module: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import in ``module``, relative ones resolved."""
    here = ["gongkai", *rel.removesuffix(".py").split("/")]
    package = here[:-1]  # the package a relative import starts from (an __init__ is its own package)
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            if target == "gongkai":  # `from gongkai import org` imports the app org
                for alias in node.names:
                    yield node.lineno, f"gongkai.{alias.name}"
            else:
                yield node.lineno, target


def app_graph(tree: Tree) -> tuple[dict[str, set[str]], list[Problem]]:
    graph: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for rel, module in tree.modules.items():
        if rel == "__init__.py":
            continue
        app = rel.split("/")[0].removesuffix(".py")
        if app not in ALLOWED:
            problems.append(
                Problem(rel, f"app '{app}' is not in ALLOWED: add it with the apps it may import")
            )
            continue
        for line, target in imported_modules(rel, module):
            parts = target.split(".")
            if len(parts) < 2 or parts[0] != "gongkai" or parts[1] == app:
                continue
            other = parts[1]
            graph.setdefault(app, set()).add(other)
            if other not in ALLOWED[app]:
                may = ", ".join(sorted(ALLOWED[app])) or "no other gongkai app"
                problems.append(
                    Problem(
                        f"{rel}:{line}",
                        f"forbidden import direction {app} -> {other} ({target}); {app} may import {may}",
                    )
                )
    return graph, problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = stack[stack.index(v) :]
            del stack[stack.index(v) :]
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_imports(tree: Tree) -> list[Problem]:
    graph, problems = app_graph(tree)
    for component in cycles(graph):
        problems.append(
            Problem("import graph", f"apps import each other in a cycle: {' <-> '.join(component)}")
        )
    for component in cycles(ALLOWED):
        problems.append(Problem("ALLOWED", f"the allowed directions form a cycle: {' <-> '.join(component)}"))
    return problems


# -- sizes -----------------------------------------------------------------------------------------------
def functions(
    node: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(qualified name, node) of every function and method, nested ones included."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield f"{prefix}{child.name}", child
            yield from functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from functions(child, f"{prefix}{child.name}.")
        else:
            yield from functions(child, prefix)


def check_sizes(tree: Tree, notes: list[Problem]) -> list[Problem]:
    problems: list[Problem] = []
    used: set[str] = set()
    for rel, module in tree.modules.items():
        if is_migration(rel):
            continue
        lines = len(tree.sources[rel].splitlines())
        if lines > MAX_MODULE_LINES:
            if rel in KNOWN_OVERSIZE:
                used.add(rel)
            else:
                problems.append(Problem(rel, f"module has {lines} lines (over {MAX_MODULE_LINES}): split it"))
        for name, node in functions(module):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length <= MAX_FUNCTION_LINES:
                continue
            if f"{rel}::{name}" in KNOWN_OVERSIZE:
                used.add(f"{rel}::{name}")
            else:
                problems.append(
                    Problem(
                        f"{rel}:{node.lineno}",
                        f"function {name} has {length} lines (over {MAX_FUNCTION_LINES})",
                    )
                )
    for stale in sorted(KNOWN_OVERSIZE - used):
        notes.append(Problem("KNOWN_OVERSIZE", f"{stale} is no longer oversize: remove the entry"))
    return problems


# -- statutory labels ------------------------------------------------------------------------------------
def statutory_labels() -> set[str]:
    """The Table 三 row labels and outcome group labels of every format in this repository's ``formats``
    (whichever tree is being checked), with and without their numbering."""
    own_src = str(Path(__file__).resolve().parent.parent / "src")
    if own_src not in sys.path:
        sys.path.insert(0, own_src)
    from gongkai.annual_report import formats

    labels: set[str] = set()
    for fmt in formats.FORMATS.values():
        for row in fmt.request_rows:
            labels.update({row.label, row.group})
    for group in getattr(formats, "OUTCOME_GROUPS", ()):  # the group objects, where formats has them
        labels.update({group.label, group.short_name})
    labels.update(getattr(formats, "OUTCOME_GROUP_LABELS", {}).values())
    labels |= {NUMBERING.sub("", label) for label in labels}
    # Short words such as 总计 / 其他 are too common to be the statutory vocabulary's fingerprint.
    return {label.strip() for label in labels if len(label.strip()) >= 4}


def string_literals(module: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant that is not a docstring."""
    docstrings: set[int] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(module):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def check_labels(tree: Tree, labels: set[str], notes: list[Problem]) -> list[Problem]:
    problems: list[Problem] = []
    used: set[str] = set()
    for rel, module in tree.modules.items():
        if rel == LABELS_HOME or is_migration(rel):
            continue
        for line, text in string_literals(module):
            if text.strip() not in labels:
                continue
            if rel in KNOWN_LITERALS:
                used.add(rel)
            else:
                problems.append(
                    Problem(
                        f"{rel}:{line}",
                        f"statutory label {text.strip()!r} spelled out: take it from {LABELS_HOME}",
                    )
                )
    for stale in sorted(KNOWN_LITERALS - used):
        notes.append(
            Problem("KNOWN_LITERALS", f"{stale} spells no statutory label any more: remove the entry")
        )
    return problems


def run(src: Path, notes: list[Problem] | None = None) -> list[Problem]:
    """The problems of ``src/gongkai``; stale allow-list entries are appended to ``notes``."""
    notes = [] if notes is None else notes
    tree = Tree.read(src / "gongkai")
    return [*check_imports(tree), *check_sizes(tree, notes), *check_labels(tree, statutory_labels(), notes)]


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "src"
    notes: list[Problem] = []
    problems = run(src, notes)
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_architecture: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("check_architecture: imports, sizes and statutory labels ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
