#!/usr/bin/env bash
# The export benchmark: `skladnica export` against `cp -r` + `sync` of the same package, and
# `skladnica verify` against `sha256sum -c`, on the same disk. Appends its figures to
# BENCHMARKS.md.
#   scripts/bench-export.sh               2,000 letters (about 820 MB), five rounds
#   scripts/bench-export.sh --docs 200 --rounds 3    a quick run (--reuse keeps the library)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-export-bench
exec target/release/skladnica-export-bench --bin target/release/skladnica --out BENCHMARKS.md "$@"
