#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and end-to-end tests. Installs what is missing.
# Needs ../shared (the corpus and reference data) beside the project.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ ! -d ../shared/corpus ]; then
  echo "test: ../shared (corpus and reference data) must be beside the project" >&2
  exit 1
fi
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace 2>&1 | tee "$log"
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { p += $4; f += $6 } END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
