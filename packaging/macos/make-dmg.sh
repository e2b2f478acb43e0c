#!/bin/sh
# Build AM Desktop.app and a DMG on macOS (run from the repository's root):
#   python3 -m venv .venv && .venv/bin/pip install -e ".[package]" && export PYTHON=.venv/bin/python
#   .venv/bin/python packaging/build.py --smoke
#   sh packaging/macos/make-dmg.sh
# Signing and notarisation need an Apple Developer ID; set IDENTITY to sign:
#   IDENTITY="Developer ID Application: …" sh packaging/macos/make-dmg.sh
set -eu
version=$(${PYTHON:-python3} -c "import am_desktop; print(am_desktop.__version__)")
app="packaging/build/dist/AM Desktop.app"
dmg="packaging/build/dist/am-desktop-$version-macos-$(uname -m).dmg"
[ -d "$app" ] || { echo "no $app: run packaging/build.py first"; exit 1; }
if [ -n "${IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --sign "$IDENTITY" "$app"
fi
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "AM Desktop" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"
echo "wrote $dmg"
