#!/bin/sh
# ctest `packaging_deb`: builds the .deb with CPack in the build folder and
# checks what dpkg-deb says about it — the binaries, the desktop entry, the
# icons and the Maintainer field: exactly the configured LATHE_DEB_MAINTAINER,
# in Debian's "Name <address>" form, never a placeholder address.
#   check_deb.sh BUILD_DIR GUI(ON|OFF) "Name <address>"
set -eu
build=$1
gui=$2
expected_maintainer=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$build"
cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb | head -n 1)
[ -f "$deb" ] || { echo "no .deb written"; exit 1; }
dpkg-deb -c "$deb" >"$out/contents"
dpkg-deb -f "$deb" Package Version Maintainer Section Description >"$out/fields"
cat "$out/fields"
need() { grep -q -- "$1" "$out/contents" || { echo "missing in package: $1"; exit 1; }; }
need ' ./usr/bin/lathe-cli$'
need ' ./usr/bin/lathe-cli-full$'  # the torch-free front execs it
if [ "$gui" = ON ]; then
  need ' ./usr/bin/lathe$'
  need ' ./usr/share/applications/lathe.desktop$'
  need ' ./usr/share/icons/hicolor/scalable/apps/lathe.svg$'
  need ' ./usr/share/icons/hicolor/256x256/apps/lathe.png$'
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/applications/lathe.desktop >"$out/desktop"
  grep -q '^Exec=lathe' "$out/desktop" && grep -q '^Icon=lathe$' "$out/desktop" ||
    { echo "desktop entry lacks Exec/Icon"; exit 1; }
fi
grep -q '^Package: lathe$' "$out/fields" || { echo "wrong package name"; exit 1; }
maintainer=$(dpkg-deb -f "$deb" Maintainer)
echo "$maintainer" | grep -Eq '^[^<>]+ <[^@<> ]+@[^@<> ]+\.[a-z]+>$' ||
  { echo "Maintainer is not 'Name <address>': $maintainer"; exit 1; }
[ "$maintainer" = "$expected_maintainer" ] ||
  { echo "Maintainer is '$maintainer', configured '$expected_maintainer'"; exit 1; }
case "$maintainer" in
  *example.org*|*example.com*|*.example\>*|*@localhost*)
    echo "Maintainer is a placeholder ($maintainer): configure -DLATHE_DEB_MAINTAINER=\"Name <address>\""
    exit 1 ;;
esac
echo "ok: $deb"
