#!/usr/bin/env bash
# Builds the Debian package of the app with the Tauri bundler:
#   scripts/package-deb.sh            release build (what an office installs)
#   scripts/package-deb.sh --debug    debug build (the tests install and start it)
# Prints the path of the .deb. The package depends on Tesseract with Polish data, SANE and
# poppler (see bundle.linux.deb.depends in src-tauri/tauri.conf.json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-ui.sh
profile=release
args=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  args+=(--debug)
fi
ui/node_modules/.bin/tauri build "${args[@]}" --bundles deb >&2
ls -t "${CARGO_TARGET_DIR:-target}/$profile/bundle/deb/"*.deb | head -1
