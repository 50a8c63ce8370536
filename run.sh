#!/usr/bin/env bash
# Runs Składnica on the default library (in the OS data folder, or $SKLADNICA_LIBRARY),
# installing and building what is missing first.
#   ./run.sh                      the desktop app
#   ./run.sh import ~/Skany       the `skladnica` command (any of its subcommands)
#   ./run.sh search "umowa najmu"
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ $# -eq 0 ]; then
  scripts/build-ui.sh
  cargo build --release --quiet -p skladnica-app --bin skladnica-app
  exec target/release/skladnica-app
fi
cargo build --release --quiet -p skladnica-cli
exec target/release/skladnica "$@"
