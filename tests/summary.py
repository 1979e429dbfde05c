#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print one summary of a tests/run.sh run from meson's logs.

For every build directory given, reads meson-logs/testlog.json (the last `meson
test` there) and prints each Criterion "Synthesis" line, every skipped test with its
reason, and failures (repeated, with their last messages, just above the closing line,
since CI shows only the tail).  A Criterion executable counts its own tests; any other test
program (fuzzers, the stress test) counts as one.  A Wine suite that tests/run.sh ran
once more counts by its second run, and a line says what its first run was.  Ends with
the closing line "tests: N passed, N failed, N skipped" and exits 1 if anything failed.
`summary.py --failed-names DIR` lists the tests of DIR that failed, for that rerun.
"""
import json
import re
import sys
from pathlib import Path


def load(d):
    """The tests of d's last `meson test`; when tests/run.sh ran failed suites once more
    (testlog-first.json kept), the second run's result stands for those, and a note for
    each says what the first run was."""
    logs = Path(d) / "meson-logs"
    tests = [json.loads(line) for line in (logs / "testlog.json").read_text().splitlines()]
    first = logs / "testlog-first.json"
    if not first.exists():
        return tests, []
    again = {t["name"]: t for t in tests}
    merged, notes = [], []
    for line in first.read_text().splitlines():
        t = json.loads(line)
        if t["name"] in again:
            notes.append(f"{d}: {t['name']}: {t['result']} in the first run, "
                         f"{again[t['name']]['result']} when run once more")
            t = again[t["name"]]
        merged.append(t)
    return merged, notes


def failed_names(d):
    tests, _ = load(d)
    return [t["name"] for t in tests if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP")]

SYNTHESIS = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
SKIP = re.compile(r"^\[SKIP\] (.*)$", re.M)
# Criterion's verdict on one failed test and the assertion messages before it.
FAIL = re.compile(r"^\[FAIL\] (.*)$", re.M)
DETAIL = re.compile(r"^\[----\] (.*)$", re.M)


def main(dirs):
    passed = failed = skipped = 0
    # Repeated just above the closing line: CI shows only the tail of the output.
    failures = []
    retried = []
    for d in dirs:
        log = Path(d) / "meson-logs" / "testlog.json"
        if not log.exists():
            print(f"{d}: no test log (build directory not tested)")
            failed += 1
            continue
        tests, notes = load(d)
        retried += notes
        for t in tests:
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            ok = t["result"] in ("OK", "EXPECTEDFAIL")
            m = SYNTHESIS.findall(out)
            if m:
                tested, passing, failing, crashing = map(int, m[-1])
                print(f"{d}: {t['name']}: [====] Synthesis: Tested: {tested} | Passing: {passing}"
                      f" | Failing: {failing} | Crashing: {crashing}")
                passed += passing
                failed += failing + crashing
                # Criterion excludes skipped tests from "Tested".
                for reason in SKIP.findall(out):
                    skipped += 1
                    print(f"{d}: {t['name']}: skipped: {reason}")
                for verdict in FAIL.findall(out):
                    failures.append(f"{d}: {t['name']}: FAIL {verdict}")
                if failing + crashing:
                    failures += [f"{d}: {t['name']}:   {x}" for x in DETAIL.findall(out)[-5:]]
                if not ok and failing + crashing == 0:
                    failed += 1
                    failures.append(f"{d}: {t['name']}: {t['result']} (the program failed outside its tests)")
                    failures += [f"{d}: {t['name']}:   {x}" for x in out.strip().splitlines()[-5:]]
            elif t["result"] == "SKIP":
                skipped += 1
                print(f"{d}: {t['name']}: skipped")
            else:
                passed += ok
                failed += not ok
                print(f"{d}: {t['name']}: {t['result']} ({t['duration']:.1f} s)")
                if not ok:
                    failures.append(f"{d}: {t['name']}: {t['result']}")
                    failures += [f"{d}: {t['name']}:   {x}" for x in out.strip().splitlines()[-5:]]
    for line in retried + failures:
        print(line)
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--failed-names"]:
        print("\n".join(failed_names(sys.argv[2])))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
