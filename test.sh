#!/usr/bin/env bash
# The whole test suite: formatting, lints, the generated UI bindings, Rust unit and end-to-end
# tests, the UI's unit tests (Vitest) and browser tests (headless Chromium + axe-core), the real
# app driven under Xvfb, the .deb installed and started, and a Windows build check of the core.
# Installs what is missing. Needs ../shared beside the project.
set -euo pipefail
cd "$(dirname "$0")"
SKLADNICA_SETUP_TEST=1 scripts/setup.sh
if [ ! -d ../shared/corpus ]; then
  echo "test: ../shared (corpus and reference data) must be beside the project" >&2
  exit 1
fi
target=${CARGO_TARGET_DIR:-target}
# A clean checkout gains nothing from incremental compilation, and its caches double the build's
# size on disk.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
# Say plainly when the disk is too full for a build rather than letting the compiler crash on it.
free_kib=$(df -Pk "$(dirname "$target")" 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -n "$free_kib" ] && [ "$free_kib" -lt $((6 * 1024 * 1024)) ]; then
  echo "test: only $((free_kib / 1024)) MiB free beside $target; the build needs about 6 GiB" >&2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

scripts/build-ui.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
# Licences, bans and sources of every dependency (deny.toml).
scripts/deny.sh | tee -a "$log"

# The TypeScript bindings are generated from the Rust commands and types: they must be current.
cargo run --quiet -p skladnica-app --example bindings >/dev/null
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --exit-code -- ui/src/bindings.ts; then
  echo "test: ui/src/bindings.ts is out of date: run cargo run -p skladnica-app --example bindings and commit it" >&2
  exit 1
fi

cargo test --workspace 2>&1 | tee "$log"

# The UI: unit and component tests, then the built UI in headless Chromium.
(cd ui && npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json) | tee -a "$log"
node -e 'const r=require("./ui/test-results/vitest.json"); console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' | tee -a "$log"
(cd ui && node tests/browser/run.mjs) | tee -a "$log"

# The real app under Xvfb, over WebDriver.
cargo build --quiet -p skladnica-app --bin skladnica-app -p skladnica-ezd-sim --bin skladnica-ezd-sim
SKLADNICA_APP="$target/debug/skladnica-app" SKLADNICA_EZD_SIM="$target/debug/skladnica-ezd-sim" \
  SKLADNICA_E2E_XVFB=1 node ui/tests/e2e/run.mjs | tee -a "$log"

# The Debian package: built, installed with apt, started, removed.
scripts/test-deb.sh | tee -a "$log"

# Most offices run Windows: the core and the command must build there (OCR is gated off, see
# crates/skladnica-ocr/src/unavailable.rs).
cargo check --quiet --target x86_64-pc-windows-gnu -p skladnica-core -p skladnica-cli
echo "windows: 1 passed, 0 failed" | tee -a "$log"

# One closing line for the whole suite (cargo prints one per test binary; the UI suites one each).
awk '/^test result:/ { p += $4; f += $6 }
     /^(vitest|browser|e2e|deb|windows|deny): [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
