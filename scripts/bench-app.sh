#!/usr/bin/env bash
# The app benchmark: start-up time, keystroke-to-results at a large library, and whether the
# window stays responsive (no frame blocked over 100 ms) while 500 scanned pages are imported.
# Appends its figures to BENCHMARKS.md.
#   scripts/bench-app.sh                  100,000 documents (builds the library with
#                                         skladnica-bench first: about 15 minutes on 2 cores)
#   scripts/bench-app.sh --docs 5000      a quick run
#   BENCH_LIBRARY=DIR scripts/bench-app.sh   an existing library instead
set -euo pipefail
cd "$(dirname "$0")/.."
SKLADNICA_SETUP_TEST=1 scripts/setup.sh
docs=100000
if [ "${1:-}" = "--docs" ]; then docs=$2; fi
scripts/build-ui.sh
cargo build --release -p skladnica-app -p skladnica-cli -p skladnica-tests \
  --bin skladnica-app --bin skladnica --bin skladnica-bench
target=${CARGO_TARGET_DIR:-target}
work=${TMPDIR:-/tmp}/skladnica-bench-app
library=${BENCH_LIBRARY:-$work/bench/lib}
if [ ! -f "$library/skladnica.sqlite" ]; then
  "$target/release/skladnica-bench" --bin "$target/release/skladnica" --docs "$docs" --work "$work/bench" >/dev/null
fi
# 500 distinct scanned pages: the corpus's real page scans, re-encoded at a few JPEG qualities.
scans=$work/scans
if [ "$(ls "$scans" 2>/dev/null | wc -l)" -lt 500 ]; then
  rm -rf "$scans" && mkdir -p "$scans"
  n=0
  for q in 91 89 87 85; do
    for f in ../shared/corpus/scans_admin/poleval2025-doclayout/dev/*.jpg ../shared/corpus/scans_admin/poleval2025-doclayout/test_a/*.jpg; do
      [ $n -ge 500 ] && break 2
      /usr/bin/convert "$f" -quality $q "$scans/$(printf %04d $n).jpg"
      n=$((n + 1))
    done
  done
fi
node ui/tests/bench/run.mjs --app "$target/release/skladnica-app" --library "$library" --scans "$scans" --out BENCHMARKS.md
