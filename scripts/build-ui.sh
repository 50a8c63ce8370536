#!/usr/bin/env bash
# Builds the web UI into ui/dist (the Tauri shell embeds it at compile time): installs the npm
# packages from the lock file when they are missing or changed, type-checks, bundles.
set -euo pipefail
cd "$(dirname "$0")/../ui"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "build-ui: installing npm packages" >&2
  # `npm ci` refuses this lock file (npm 11 wants the other platforms' optional packages listed);
  # `npm install` installs the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi
npx tsc --noEmit
npx vite build --logLevel warn
# The bundled third-party parts travel with their licences (embedded with the UI).
mkdir -p dist/licenses
cp node_modules/@fontsource-variable/noto-sans/LICENSE dist/licenses/noto-sans-OFL-1.1.txt
cp node_modules/pdfjs-dist/LICENSE dist/licenses/pdfjs-Apache-2.0.txt
