#!/usr/bin/env python3
"""Builds assets/jrwa/gmina-2011.csv, the gmina JRWA of 2011, from its hand transcription.

The transcription (`gmina-2011.txt`, beside this script) was written class by class from the OCR
text of annex 2 to Dz.U. 2011 nr 14 poz. 67 (../shared/reference/jrwa/gmina-2011-ocr/). This
script checks it and records, for every end class, how its archival category was obtained, by
comparing it with the category the OCR printed for that symbol (the rough auto-parse beside the
OCR text):

  ocr          the category as the OCR printed it;
  ocr-poprawka the OCR misread it (BS = B5, BIO = B10, BESO = BE50, ...) and it was corrected;
  uzupelnienie the OCR text lost it (a table cell it did not read); it was filled in by hand and
               should be checked against the printed act.

Checks: symbols are 1-4 digits, unique, in order, every class under its parent (4-digit under
3-digit under 2-digit under 1-digit), every heading present, a category on every end class and
on no other, every category a valid one (A, Bn, BEn, Bc).

Usage: scripts/jrwa/build-gmina-2011.py [--shared ../shared]
"""

import argparse
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# OCR misreadings of category marks, as DOMAIN.md lists them and as found in the text.
MISREAD = {
    "BS": "B5", "BS5": "B5", "BIO": "B10", "BI0": "B10", "BES": "BE5", "BES5": "BE5",
    "BE5S": "BE5", "BEIO": "BE10", "BEI0": "BE10", "BELO": "BE10", "BETO": "BE10",
    "BEIO0": "BE10", "BESO": "BE50", "BES50": "BE50",
}
CATEGORY = re.compile(r"^(A|Bc|B[1-9][0-9]*|BE[1-9][0-9]*)$")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()

    rows = []
    with open(os.path.join(HERE, "gmina-2011.txt"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split(";", 3)
            if len(parts) != 4:
                sys.exit(f"gmina-2011.txt:{n}: expected 4 fields, got {len(parts)}")
            rows.append((n, *[p.strip() for p in parts]))

    ocr = {}
    autoparsed = os.path.join(args.shared, "reference/jrwa/gmina-2011-ocr/jrwa_gmina_2011_autoparsed.csv")
    with open(autoparsed, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ocr[r["symbol"]] = r["kategoria_raw_ocr"].strip().rstrip("”\"'?*").strip()

    errors = []
    symbols = [r[1] for r in rows]
    seen = set()
    previous = ""
    for n, symbol, heading, category, notes in rows:
        where = f"gmina-2011.txt:{n} ({symbol})"
        if not re.fullmatch(r"[0-9]{1,4}", symbol):
            errors.append(f"{where}: not a JRWA symbol")
        if symbol in seen:
            errors.append(f"{where}: duplicate symbol")
        seen.add(symbol)
        if symbol <= previous:
            errors.append(f"{where}: out of order after {previous}")
        previous = symbol
        if len(symbol) > 1 and symbol[:-1] not in seen:
            errors.append(f"{where}: parent {symbol[:-1]} missing")
        if not heading:
            errors.append(f"{where}: no heading")
    children = {s[:-1] for s in symbols if len(s) > 1}
    out = []
    counts = {"ocr": 0, "ocr-poprawka": 0, "uzupelnienie": 0}
    for n, symbol, heading, category, notes in rows:
        where = f"gmina-2011.txt:{n} ({symbol})"
        end = symbol not in children
        source = ""
        if end:
            if not CATEGORY.match(category):
                errors.append(f"{where}: end class needs a category, has {category!r}")
            raw = ocr.get(symbol, "")
            if raw == category:
                source = "ocr"
            elif MISREAD.get(raw) == category:
                source = "ocr-poprawka"
            else:
                source = "uzupelnienie"
            counts[source] += 1
        elif category:
            errors.append(f"{where}: only end classes carry a category")
        out.append([symbol, heading, category, "", notes, source])
    if errors:
        sys.exit("\n".join(errors))

    target = os.path.join(ROOT, "assets/jrwa/gmina-2011.csv")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["symbol", "haslo", "kategoria", "kategoria_inne", "uwagi", "zrodlo_kategorii"])
        w.writerows(out)
    ends = sum(counts.values())
    print(f"{target}: {len(out)} classes, {ends} end classes; categories: "
          f"{counts['ocr']} as the OCR printed them, {counts['ocr-poprawka']} misreadings corrected, "
          f"{counts['uzupelnienie']} filled in where the OCR lost them")


if __name__ == "__main__":
    main()
