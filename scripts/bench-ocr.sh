#!/usr/bin/env bash
# Builds in release mode and runs the OCR benchmark (CER and pages/s against one sequential
# Tesseract and against OCRmyPDF from PyPI, installed in a virtualenv under target/), appending
# its figures to BENCHMARKS.md. About 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
VENV=target/ocrmypdf-venv
if [ ! -x "$VENV/bin/ocrmypdf" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! dpkg -s python3-venv >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q ocrmypdf
fi
cargo build --release -p skladnica-cli -p skladnica-tests --bin skladnica --bin skladnica-ocr-bench \
  --bin skladnica-cleanup-bench
OMP_THREAD_LIMIT=1 target/release/skladnica-cleanup-bench --out BENCHMARKS.md
exec target/release/skladnica-ocr-bench --bin target/release/skladnica \
  --ocrmypdf "$VENV/bin/ocrmypdf" --out BENCHMARKS.md "$@"
