#!/usr/bin/env bash
# Builds the app's .deb (debug build, sharing the test build's compiled crates), checks its
# control fields, installs it with apt (which pulls in Tesseract, SANE and poppler), starts the
# installed app under Xvfb on a new library and checks that it opens it, then removes the
# package. Needs root (or sudo). Prints "deb: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "not ok - $1"; failed=$((failed + 1)); }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

deb=$(scripts/package-deb.sh --debug | tail -1)
if [ ! -f "$deb" ]; then
  bad "the .deb is built"
  echo "deb: $passed passed, $failed failed"
  exit 1
fi
ok "the .deb is built: $deb"

control=$(dpkg-deb -f "$deb")
grep -q '^Package: skladnica$' <<<"$control" && ok "its package name is skladnica" || bad "package name: $(grep '^Package' <<<"$control")"
depends=$(grep '^Depends:' <<<"$control")
missing=""
for p in tesseract-ocr-pol tesseract-ocr libsane1 poppler-utils libwebkit2gtk-4.1-0; do
  grep -q "$p" <<<"$depends" || missing+=" $p"
done
[ -z "$missing" ] && ok "it depends on Tesseract (Polish), SANE, poppler and WebKitGTK" || bad "Depends lacks$missing: $depends"
files=$(dpkg-deb -c "$deb")
grep -Eq '(^| )\.?/?usr/bin/skladnica-app$' <<<"$files" && ! grep -q 'usr/bin/skladnica-bindings' <<<"$files" && grep -q 'usr/share/applications/.*\.desktop$' <<<"$files" &&
  grep -q 'usr/share/icons/hicolor/128x128/apps/' <<<"$files" &&
  ok "it installs the binary, a desktop entry and the icons" || bad "contents: $files"

if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(realpath "$deb")" >/tmp/skladnica-deb-install.log 2>&1; then
  ok "it installs with apt"
else
  bad "it installs with apt: $(tail -5 /tmp/skladnica-deb-install.log)"
fi
desktop=$(ls /usr/share/applications/*.desktop 2>/dev/null | xargs grep -l 'Exec=skladnica-app' 2>/dev/null | head -1)
[ -n "$desktop" ] && grep -q '^Name=Składnica$' "$desktop" && ok "the menu entry is called Składnica" || bad "desktop entry: ${desktop:-none}"

work=$(mktemp -d)
display=":$((150 + RANDOM % 50))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 0.5
DISPLAY=$display SKLADNICA_LIBRARY="$work/library" XDG_CONFIG_HOME="$work/config" \
  WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 \
  /usr/bin/skladnica-app >"$work/app.log" 2>&1 &
app=$!
started=no
for _ in $(seq 1 100); do
  if [ -f "$work/library/skladnica.sqlite" ]; then started=yes; break; fi
  sleep 0.2
done
sleep 2
if [ $started = yes ] && kill -0 $app 2>/dev/null; then
  ok "the installed app starts and opens its library"
else
  bad "the installed app starts: $(tail -5 "$work/app.log")"
fi
kill $app $xvfb 2>/dev/null
wait $app $xvfb 2>/dev/null
rm -rf "$work"
$SUDO dpkg -r skladnica >/dev/null 2>&1 && ok "it uninstalls" || bad "it uninstalls"
echo "deb: $passed passed, $failed failed"
[ $failed -eq 0 ]
