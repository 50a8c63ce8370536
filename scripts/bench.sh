#!/usr/bin/env bash
# Builds in release mode and runs the benchmark, appending its figures to BENCHMARKS.md.
#   scripts/bench.sh                      100,000 documents (about 15 minutes on 2 cores)
#   scripts/bench.sh --docs 5000          a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-bench
exec target/release/skladnica-bench --bin target/release/skladnica --out BENCHMARKS.md "$@"
