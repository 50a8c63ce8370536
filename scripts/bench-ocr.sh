#!/usr/bin/env bash
# Builds in release mode and runs the OCR benchmark (CER and pages/s against one sequential
# Tesseract), appending its figures to BENCHMARKS.md. About 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-ocr-bench
exec target/release/skladnica-ocr-bench --bin target/release/skladnica --out BENCHMARKS.md "$@"
