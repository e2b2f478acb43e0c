#!/bin/sh
# Install AM Desktop for this user (no root): the program in ~/.local/lib/am-desktop, a link
# in ~/.local/bin, the desktop entry, metainfo and icons where desktops look for them.
# Run it from the unpacked tarball:  ./install.sh      (./install.sh --remove to uninstall)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
lib=$HOME/.local/lib/am-desktop
bin=$HOME/.local/bin
if [ "${1:-}" = "--remove" ]; then
    rm -rf "$lib" "$bin/am-desktop" "$data/applications/am-desktop.desktop" \
        "$data/metainfo/io.github.amdesktop.AmDesktop.metainfo.xml"
    find "$data/icons/hicolor" -name am-desktop.png -delete 2>/dev/null || true
    rm -f "$data/icons/hicolor/scalable/apps/am-desktop.svg"
    echo "AM Desktop removed (your data in $data/am-desktop is kept)."
    exit 0
fi
mkdir -p "$lib" "$bin" "$data/applications" "$data/metainfo"
rm -rf "$lib" && cp -r "$here/am-desktop" "$lib"
ln -sf "$lib/am-desktop" "$bin/am-desktop"
# The menu entry runs the program by its full path (~/.local/bin is not on every session's PATH).
sed "s#^Exec=.*#Exec=$lib/am-desktop#" "$here/am-desktop.desktop" > "$data/applications/am-desktop.desktop"
cp "$here/io.github.amdesktop.AmDesktop.metainfo.xml" "$data/metainfo/"
for dir in "$here"/icons/*; do
    size=$(basename "$dir")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$dir"/am-desktop.* "$data/icons/hicolor/$size/apps/"
done
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "AM Desktop installed: start it from your applications menu, or run $bin/am-desktop"
