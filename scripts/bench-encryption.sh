#!/usr/bin/env bash
# Builds in release mode and measures what encryption at rest costs (import, search, opening,
# converting in place), appending the figures to BENCHMARKS.md.
#   scripts/bench-encryption.sh                 5,000 documents
#   scripts/bench-encryption.sh --docs 20000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-encryption-bench
exec target/release/skladnica-encryption-bench --bin target/release/skladnica --out BENCHMARKS.md "$@"
