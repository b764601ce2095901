#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A strict parser of the Prometheus text exposition format (version 0.0.4).

promparse.py [FILE]   parse FILE (default stdin); print "ok: N families,
                      M samples" or the first error, exit 0/1.

Stricter than Prometheus itself where the format says "should": every line
ends with a newline, no blank lines, a family's HELP/TYPE/samples are one
contiguous group with HELP and TYPE before its samples and at most once,
no series twice, label values and HELP text use only the escapes the format
defines, counters are finite and not negative, a counter's samples carry the
family's own name.
"""

import math
import re
import sys

METRIC = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}


class ParseError(Exception):
    pass


def unescape(text, allowed, where):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text) or text[i + 1] not in allowed:
                raise ParseError("%s: bad escape in %r" % (where, text))
            out.append({"\\": "\\", "n": "\n", '"': '"'}[text[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_labels(text, where):
    """text after '{' -> (labels dict, rest after '}')."""
    labels, i = {}, 0
    while True:
        if text[i:i + 1] == "}":
            return labels, text[i + 1:]
        m = re.match(r"(%s)=\"" % LABEL, text[i:])
        if not m:
            raise ParseError("%s: bad label at %r" % (where, text[i:]))
        name = m.group(1)
        if name.startswith("__"):
            raise ParseError("%s: reserved label name %s" % (where, name))
        if name in labels:
            raise ParseError("%s: label %s twice" % (where, name))
        i += m.end()
        j = i
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        if j >= len(text):
            raise ParseError("%s: unterminated label value" % where)
        labels[name] = unescape(text[i:j], '\\"n', where)
        i = j + 1
        if text[i:i + 1] == ",":
            i += 1
        elif text[i:i + 1] != "}":
            raise ParseError("%s: expected ',' or '}' after label %s" % (where, name))


def parse_value(text, where):
    if text in ("NaN", "+Inf", "-Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise ParseError("%s: bad value %r" % (where, text))
    return float(text)


def family_of(name, types):
    for fam, typ in types.items():
        if name == fam:
            return fam
        for suf in SUFFIXES.get(typ, ()):
            if name == fam + suf:
                return fam
    return name


def parse(text):
    """-> {family: {"help": str, "type": str, "samples": [(name, labels, value)]}}"""
    if not text.endswith("\n"):
        raise ParseError("the last line has no newline")
    fams, types, done, current, series = {}, {}, set(), None, set()

    def enter(fam, where):
        nonlocal current
        if fam != current:
            if fam in done:
                raise ParseError("%s: family %s is not contiguous" % (where, fam))
            if current is not None:
                done.add(current)
            current = fam
        return fams.setdefault(fam, {"help": None, "type": None, "samples": []})

    for n, line in enumerate(text[:-1].split("\n"), 1):
        where = "line %d" % n
        if not line:
            raise ParseError("%s: blank line" % where)
        if line.startswith("#"):
            m = re.fullmatch(r"# (HELP|TYPE) (%s)(?: (.*))?" % METRIC, line)
            if not m:
                if re.match(r"#\s*(HELP|TYPE)\b", line):
                    raise ParseError("%s: malformed %r" % (where, line))
                continue	# a plain comment
            kind, name, rest = m.group(1), m.group(2), m.group(3) or ""
            fam = enter(name, where)
            if kind == "HELP":
                if fam["help"] is not None:
                    raise ParseError("%s: second HELP for %s" % (where, name))
                if fam["samples"]:
                    raise ParseError("%s: HELP for %s after its samples" % (where, name))
                fam["help"] = unescape(rest, "\\n", where)
            else:
                if rest not in TYPES:
                    raise ParseError("%s: unknown type %r" % (where, rest))
                if fam["type"] is not None:
                    raise ParseError("%s: second TYPE for %s" % (where, name))
                if fam["samples"]:
                    raise ParseError("%s: TYPE for %s after its samples" % (where, name))
                fam["type"] = rest
                types[name] = rest
            continue
        m = re.match(r"(%s)" % METRIC, line)
        if not m:
            raise ParseError("%s: bad metric name in %r" % (where, line))
        name, rest = m.group(1), line[m.end():]
        labels = {}
        if rest.startswith("{"):
            labels, rest = parse_labels(rest[1:], where)
        parts = rest.split(" ")
        if parts[0] != "" or len(parts) not in (2, 3):
            raise ParseError("%s: expected ' VALUE [TIMESTAMP]' in %r" % (where, line))
        value = parse_value(parts[1], where)
        if len(parts) == 3 and not re.fullmatch(r"-?\d+", parts[2]):
            raise ParseError("%s: bad timestamp %r" % (where, parts[2]))
        fam_name = family_of(name, types)
        fam = enter(fam_name, where)
        key = (name, tuple(sorted(labels.items())))
        if key in series:
            raise ParseError("%s: series %s%s twice" % (where, name, labels))
        series.add(key)
        if fam["type"] == "counter":
            if name != fam_name:
                raise ParseError("%s: counter sample %s outside its family" % (where, name))
            if math.isnan(value) or value < 0 or math.isinf(value):
                raise ParseError("%s: counter %s = %s" % (where, name, parts[1]))
        fam["samples"].append((name, labels, value))
    return fams


def main():
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
    try:
        fams = parse(text)
    except ParseError as exc:
        print("promparse: %s" % exc)
        return 1
    print("ok: %d families, %d samples"
          % (len(fams), sum(len(f["samples"]) for f in fams.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
