#!/usr/bin/env bash
# Runs Składnica on the default library (in the OS data folder, or $SKLADNICA_LIBRARY),
# installing and building what is missing first.
#   ./run.sh                      show the library
#   ./run.sh import ~/Skany       import a folder
#   ./run.sh search "umowa najmu" search it
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
cargo build --release --quiet -p skladnica-cli
bin=target/release/skladnica
if [ $# -eq 0 ]; then
  "$bin" init
  "$bin" list
  echo
  echo "Import with ./run.sh import FOLDER, search with ./run.sh search WORDS (./run.sh --help for more)."
else
  exec "$bin" "$@"
fi
