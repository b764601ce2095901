#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host-side test of scripts/avaya-prom (no kernel needed).

1. The README's "Counter descriptions" name exactly the counters of
   include/avaya_counters.h (no counter without a HELP text, no stale line).
2. A /proc/net/nf_conntrack_avaya file in the module's own format
   ("%-32s %llu\\n" over every counter name) from two namespaces becomes
   text that tests/metrics/promparse.py accepts strictly: one counter family
   per counter with the README's text as HELP, one sample per namespace with
   the file's value, nf_conntrack_avaya_up 1; an unreadable namespace gives
   up 0 and no samples; label values are escaped.
3. Unknown names get a generic HELP, "unnamed" lines are skipped, junk lines
   are ignored with a warning; --out replaces the file atomically.
4. The strict parser rejects each kind of broken text (so 2 can fail).
5. promtool check metrics, when promtool is installed.
Prints PASS/FAIL lines and "N passed, M failed, K skipped".
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
PROM = os.path.join(TOP, "scripts", "avaya-prom")
sys.path.insert(0, HERE)
import promparse  # noqa: E402

results = {"pass": 0, "fail": 0, "skip": 0}


def check(desc, ok, detail=""):
    if ok:
        results["pass"] += 1
        print("PASS: %s" % desc)
    else:
        results["fail"] += 1
        print("FAIL: %s%s" % (desc, (": " + detail) if detail else ""))


def c_counter_names():
    """The /proc names, in order, from the one list the module prints."""
    path = os.path.join(TOP, "include", "avaya_counters.h")
    text = open(path, encoding="utf-8").read()
    return [n.lower() for n in re.findall(r"^AVAYA_COUNTER\(([A-Z0-9_]+)\)", text, re.M)]


def run_prom(*args):
    return subprocess.run([sys.executable, PROM] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, encoding="utf-8", check=False)


def proc_file(names, base):
    return "".join("%-32s %d\n" % (n, base + i) for i, n in enumerate(names))


def main():
    work = tempfile.mkdtemp()
    try:
        names = c_counter_names()
        check("include/avaya_counters.h lists counter names (%d)" % len(names), len(names) > 50)
        res = run_prom("--help-from", os.path.join(TOP, "README"))
        helps = {}
        for line in res.stdout.splitlines():
            if line and not line.startswith("#"):
                n, _, t = line.partition("\t")
                helps[n] = t
        missing = [n for n in names if n not in helps]
        stale = [n for n in helps if n not in names]
        check("every counter has a README description", not missing, " ".join(missing))
        check("every README description names a counter", not stale, " ".join(stale))
        check("no empty description", all(helps.values()))

        fw = os.path.join(work, "fw")
        gk = os.path.join(work, "gk")
        with open(fw, "w") as fh:
            fh.write(proc_file(names, 0))
        with open(gk, "w") as fh:
            fh.write(proc_file(names, 2 ** 63))
        odd = 'a"b\\c'
        res = run_prom("--file", "fw=" + fw, "--file", odd + "=" + gk,
                       "--file", "gone=" + os.path.join(work, "absent"))
        check("avaya-prom exits 0", res.returncode == 0, res.stderr)
        try:
            fams = promparse.parse(res.stdout)
            check("the output parses strictly", True)
        except promparse.ParseError as exc:
            check("the output parses strictly", False, str(exc))
            fams = {}
        up = fams.get("nf_conntrack_avaya_up", {"samples": []})["samples"]
        check("up is 1 for both files, 0 for the absent one",
              sorted((s[1]["netns"], s[2]) for s in up)
              == sorted([("fw", 1.0), (odd, 1.0), ("gone", 0.0)]), str(up))
        bad = []
        for i, n in enumerate(names):
            fam = fams.get("nf_conntrack_avaya_%s_total" % n)
            if not fam or fam["type"] != "counter" or fam["help"] != helps.get(n):
                bad.append(n)
                continue
            got = {s[1]["netns"]: s[2] for s in fam["samples"]}
            if got != {"fw": float(i), odd: float(2 ** 63 + i)}:
                bad.append(n)
        check("each counter: a family, README HELP, one sample per namespace, its value",
              not bad, " ".join(bad[:5]))
        exact = 'nf_conntrack_avaya_ras_rrq_total{netns="a\\"b\\\\c"} %d' % (
            2 ** 63 + names.index("ras_rrq"))
        check("label value escaped, 64-bit value printed exactly",
              exact in res.stdout.splitlines(), exact)

        odd_file = os.path.join(work, "odd")
        with open(odd_file, "w") as fh:
            fh.write("ras_grq 1\nnew_counter_x 7\nunnamed 3\nunnamed 4\ngarbage line here\n")
        res = run_prom("--file", "x=" + odd_file)
        try:
            promparse.parse(res.stdout)
            ok = True
        except promparse.ParseError:
            ok = False
        check("unknown counter, two unnamed lines, junk: still valid", ok, res.stdout)
        check("unknown counter exported with a generic HELP",
              "# HELP nf_conntrack_avaya_new_counter_x_total counter new_counter_x" in res.stdout)
        check("unnamed lines are not exported", "unnamed" not in res.stdout)
        check("the junk line is reported on stderr", "garbage line here" in res.stderr)

        out = os.path.join(work, "avaya.prom")
        res = run_prom("--file", "fw=" + fw, "--out", out)
        check("--out writes the file, no .tmp left",
              res.returncode == 0 and os.path.isfile(out) and not os.path.exists(out + ".tmp"))

        broken = {
            "no final newline": "# TYPE a counter\na 1",
            "blank line": "# TYPE a counter\n\na 1\n",
            "family split": "# TYPE a counter\na 1\n# TYPE b counter\nb 1\na{x=\"1\"} 2\n",
            "TYPE after sample": "a 1\n# TYPE a counter\n",
            "duplicate series": "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n",
            "bad label escape": "# TYPE a gauge\na{x=\"\\t\"} 1\n",
            "negative counter": "# TYPE a counter\na -1\n",
            "bad metric name": "1a 1\n",
            "second HELP": "# HELP a x\n# HELP a y\na 1\n",
            "bad value": "a one\n",
            "unterminated label": "a{x=\"1} 1\n",
        }
        for what, text in broken.items():
            try:
                promparse.parse(text)
                check("the strict parser rejects: %s" % what, False)
            except promparse.ParseError:
                check("the strict parser rejects: %s" % what, True)

        promtool = shutil.which("promtool")
        if promtool:
            res2 = run_prom("--file", "fw=" + fw, "--file", "gk=" + gk)
            pt = subprocess.run([promtool, "check", "metrics"], input=res2.stdout,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                encoding="utf-8", check=False)
            check("promtool check metrics", pt.returncode == 0, pt.stdout)
        else:
            results["skip"] += 1
            print("SKIP: promtool not installed (Debian's prometheus package); the strict parser ran")
    finally:
        shutil.rmtree(work)
    print("%d passed, %d failed, %d skipped" % (results["pass"], results["fail"], results["skip"]))
    return 1 if results["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
