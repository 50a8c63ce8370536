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
cargo test --workspace
