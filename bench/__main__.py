"""`make bench` entry point: runs every benchmark module in turn (or those named on the command line)."""

from __future__ import annotations

import importlib
import sys

BENCHES = [
    "bench.audit_speed",
    "bench.corpus_accuracy",
    "bench.audit_memory",
    "bench.ledger_report",
    "bench.portal_search",
    "bench.load_serve",
    "bench.responsiveness_rollup",
]


def main(argv: list[str]) -> int:
    names = [f"bench.{n}" for n in argv] or BENCHES
    for name in names:
        module = importlib.import_module(name)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
