#!/usr/bin/env bash
# Prints the path of the tool BIN, installing it when missing from the prebuilt binary PyPI
# carries as PACKAGE==VERSION, into a venv under ~/.cache/skladnica (needs python3-venv).
#   scripts/pypi-tool.sh BIN PACKAGE VERSION
set -euo pipefail
bin=$1 package=$2 version=$3
found=$(command -v "$bin" || true)
if [ -n "$found" ]; then
  echo "$found"
  exit 0
fi
tools=${XDG_CACHE_HOME:-$HOME/.cache}/skladnica/tools
if [ ! -x "$tools/bin/$bin" ]; then
  echo "$bin: installing $package $version into $tools" >&2
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "$package==$version" >&2
fi
echo "$tools/bin/$bin"
