#!/usr/bin/env python3
"""Check fixtures/reference/countries.csv against fixtures/appendix.csv.

Runs with plain python3 (stdlib only). If pycountry can be imported, the
alpha2/alpha3 codes are also looked up in it.

Checks:
  * the header is exactly code,alpha2,alpha3,name_zh,name_en,kind,members
  * each foreign label in appendix.csv has exactly one row (matched on name_zh)
  * code, alpha2, alpha3, name_zh and name_en are unique (empty values skipped)
  * the kind values are consistent; each joint row's members have their own rows
  * rows are sorted by code
  * the alpha2 codes exist in pycountry (only when pycountry can be imported)
  * tables 2, 4, 6 and 8 list their rows in ascending alpha-2 order, with 其他 last

Prints every violation and exits 1, or prints a summary and exits 0.
"""

import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPENDIX = os.path.join(ROOT, "fixtures", "appendix.csv")
COUNTRIES = os.path.join(ROOT, "fixtures", "reference", "countries.csv")
COLUMNS = ["code", "alpha2", "alpha3", "name_zh", "name_en", "kind", "members"]
TOTAL = "国外在华总计"
OTHER = "其他"
ORDERED_TABLES = (2, 4, 6, 8)
TAIL_TABLES = (9, 10, 11, 12)


def load_tables():
    tables = {}
    with open(APPENDIX, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows = tables.setdefault(int(r["table"]), {})
            row = int(r["row"])
            if rows.setdefault(row, r["label"]) != r["label"]:
                raise SystemExit("appendix.csv: table %s row %s has two labels" % (r["table"], row))
    return tables


def foreign_labels(tables, errors):
    labels = set()
    for t in ORDERED_TABLES:
        labels |= {l for l in tables.get(t, {}).values() if l != TOTAL}
    for t in TAIL_TABLES:
        rows = tables.get(t, {})
        totals = [rn for rn, l in rows.items() if l == TOTAL]
        if not totals:
            errors.append("table %d: no %s row" % (t, TOTAL))
            continue
        labels |= {l for rn, l in rows.items() if rn > min(totals)}
    return labels


def main():
    errors = []
    tables = load_tables()
    labels = foreign_labels(tables, errors)

    with open(COUNTRIES, encoding="utf-8", newline="") as f:
        raw = f.read()
    if "\r" in raw:
        errors.append("countries.csv: contains \\r (line ends must be \\n)")
    reader = csv.DictReader(raw.splitlines(keepends=True))
    if reader.fieldnames != COLUMNS:
        errors.append("countries.csv: header %r != %r" % (reader.fieldnames, COLUMNS))
    rows = list(reader)

    # one row per foreign label
    by_zh = {}
    for r in rows:
        by_zh.setdefault(r["name_zh"], []).append(r)
    for l in sorted(labels):
        n = len(by_zh.get(l, []))
        if n != 1:
            errors.append("label %r has %d rows in countries.csv" % (l, n))

    # uniqueness
    for col in ("code", "alpha2", "alpha3", "name_zh", "name_en"):
        seen = {}
        for r in rows:
            v = r[col]
            if v:
                seen[v] = seen.get(v, 0) + 1
            elif col in ("code", "name_zh", "name_en"):
                errors.append("row %r: empty %s" % (r["name_zh"] or r["code"], col))
        for v, n in seen.items():
            if n > 1:
                errors.append("%s %r occurs %d times" % (col, v, n))

    # consistency of kinds
    codes = {r["code"] for r in rows}
    for r in rows:
        k = r["kind"]
        if k == "country":
            a2 = r["alpha2"]
            if not (len(a2) == 2 and a2.isascii() and a2.isupper() and r["code"] == a2):
                errors.append("country row %r: bad code/alpha2 %r/%r" % (r["name_zh"], r["code"], a2))
            a3 = r["alpha3"]
            if not (len(a3) == 3 and a3.isascii() and a3.isupper()):
                errors.append("country row %r: bad alpha3 %r" % (r["name_zh"], a3))
            if r["members"]:
                errors.append("country row %r: members not empty" % r["name_zh"])
        elif k == "other":
            if (r["code"], r["alpha2"], r["alpha3"], r["members"]) != ("ZZ", "", "", ""):
                errors.append("other row %r: expected code ZZ, empty alpha2/alpha3/members" % r["name_zh"])
        elif k == "joint":
            mem = r["members"].split("+")
            if r["alpha2"] or r["alpha3"] or r["code"] != r["members"] or len(mem) < 2:
                errors.append("joint row %r: bad code/alpha2/alpha3/members" % r["name_zh"])
            for m in mem:
                if m not in codes:
                    errors.append("joint row %r: member %s has no row" % (r["name_zh"], m))
            parts = r["name_zh"].split("、")
            if len(parts) == len(mem):
                for p, m in zip(parts, mem, strict=True):
                    own = by_zh.get(p)
                    if own and own[0]["code"] != m:
                        errors.append(
                            "joint row %r: member %r is %s here but %s in its own row"
                            % (r["name_zh"], p, m, own[0]["code"])
                        )
            else:
                errors.append("joint row %r: %d names but %d members" % (r["name_zh"], len(parts), len(mem)))
        else:
            errors.append("row %r: unknown kind %r" % (r["name_zh"], k))

    if [r["code"] for r in rows] != sorted(r["code"] for r in rows):
        errors.append("countries.csv rows are not sorted by code")

    # optional pycountry check
    try:
        import pycountry
    except ImportError:
        pycountry = None
        pyc_note = "pycountry not importable; ISO lookup skipped"
    if pycountry is not None:
        for r in rows:
            if r["kind"] != "country":
                continue
            c = pycountry.countries.get(alpha_2=r["alpha2"])
            if c is None:
                errors.append("alpha2 %r (%s) not in pycountry" % (r["alpha2"], r["name_zh"]))
            elif c.alpha_3 != r["alpha3"]:
                errors.append("alpha3 %r (%s) != pycountry %r" % (r["alpha3"], r["name_zh"], c.alpha_3))
        pyc_note = "pycountry %s: ISO codes checked" % getattr(pycountry, "__version__", "")

    # printed order in tables 2, 4, 6, 8
    code_of = {l: rs[0]["code"] for l, rs in by_zh.items() if len(rs) == 1}
    order_note = []
    for t in ORDERED_TABLES:
        seq = [(rn, l) for rn, l in sorted(tables.get(t, {}).items()) if l != TOTAL]
        keys = []
        for _rn, l in seq:
            c = code_of.get(l)
            if c is None:
                break
            # 其他 goes last; "+"-joined codes sort by string, after their first member
            keys.append((1, "") if l == OTHER else (0, c))
        else:
            bad = [(seq[i], seq[i + 1]) for i in range(len(keys) - 1) if keys[i] >= keys[i + 1]]
            for (rn1, l1), (rn2, l2) in bad:
                errors.append(
                    "table %d: row %d %s (%s) comes before row %d %s (%s)"
                    % (t, rn1, l1, code_of[l1], rn2, l2, code_of[l2])
                )
            order_note.append("table %d: %d rows" % (t, len(seq)))
            continue
        errors.append("table %d: order not checked (unmapped labels)" % t)

    if errors:
        for e in errors:
            print("ERROR:", e)
        print("%d problem(s)" % len(errors))
        return 1
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(
        "OK: %d foreign labels, %d rows in countries.csv (%s)"
        % (len(labels), len(rows), ", ".join("%s=%d" % kv for kv in sorted(kinds.items())))
    )
    print("OK: code/alpha2/alpha3/name_zh/name_en unique; rows sorted by code")
    print("OK: " + pyc_note)
    print("OK: ascending alpha-2 order, 其他 last: " + "; ".join(order_note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
