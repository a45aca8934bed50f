"""Accuracy of the auditor on the real-report corpus (tests/corpus/), scored against the hand-written
answer keys with the same module the corpus test uses, and the time it takes per report by kind.

Prints: figures read exactly (of those owed), inconsistencies found (of those listed), error
findings no key lists (false errors), reports by reading status, and ms per report for each kind.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bench.timing import best_of
from gongkai.annual_report.answer_key import load_key, report_path, score
from gongkai.annual_report.audit import audit_file

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"


def main() -> None:
    print("== corpus accuracy: real published reports against hand-written answer keys ==")
    keys = sorted(CORPUS.glob("*.truth.json"))
    owed = exact = listed = found = false_errors = 0
    statuses: dict[str, int] = defaultdict(int)
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    for key_path in keys:
        key = load_key(key_path)
        path = report_path(key_path)
        result = audit_file(path)
        scored = score(key_path.name, key, result)
        if scored.expect == "full":
            owed += scored.figures_total
            exact += scored.figures_exact
        listed += scored.listed
        found += scored.found
        false_errors += len(scored.false_errors)
        statuses[f"{scored.expect}→{result.status}"] += 1
        times[key["kind"]].append(best_of(lambda path=path: audit_file(path), repeat=3))
        if not scored.passed:
            failures.append(f"{path.name}: {scored}")
    print(f"  reports (answer keys)        {len(keys)}")
    print(
        f"  figures exact                {exact}/{owed} ({exact / owed:.1%})"
        if owed
        else "  figures: none owed"
    )
    print(f"  inconsistencies found        {found}/{listed}")
    print(f"  false errors                 {false_errors}")
    print("  key → reading status         " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("  ms per report by kind:")
    for kind, seconds in sorted(times.items()):
        mean = sum(seconds) / len(seconds)
        print(
            f"    {kind:<6} {len(seconds):3d} reports   {mean * 1000:8.1f} ms mean   {max(seconds) * 1000:8.1f} ms max"
        )
    for failure in failures:
        print(f"  FAILED {failure}")


if __name__ == "__main__":
    main()
