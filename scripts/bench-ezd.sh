#!/usr/bin/env bash
# The EZD benchmark: 1,000 randomised fault schedules against the simulator (letters lost and
# duplicated: the target is 0 of each), and a batch of 200 letters on loopback against the raw
# upload of the same files. Appends its figures to BENCHMARKS.md.
#   scripts/bench-ezd.sh                         1,000 schedules, a batch of 200
#   scripts/bench-ezd.sh --schedules 50          a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-tests --bin skladnica-ezd-bench
exec target/release/skladnica-ezd-bench --out BENCHMARKS.md "$@"
