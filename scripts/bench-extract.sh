#!/usr/bin/env bash
# Builds in release mode and runs the metadata extraction benchmark (per-field precision and
# recall on real official documents read by OCR), appending its figures to BENCHMARKS.md.
# About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-extract-bench
exec target/release/skladnica-extract-bench --bin target/release/skladnica --out BENCHMARKS.md "$@"
