#!/usr/bin/env bash
# Build one of Keyshelf's installable packages into dist/ with the fyne
# packager (fyne.io/tools, pinned in tools/go.mod; `make package` calls this).
#
#   scripts/package.sh linux    # dist/keyshelf-VERSION-linux-ARCH.tar.xz
#   scripts/package.sh windows  # dist/keyshelf-VERSION-windows-amd64.exe
#                               #   (cross-compiled with mingw-w64 from Linux)
#   scripts/package.sh darwin   # dist/Keyshelf.app and
#                               #   dist/keyshelf-VERSION-macos-ARCH.dmg (on a Mac)
#
# The name, app ID, version, build number and icon come from FyneApp.toml;
# the version is also linked into the binary (main.version, shown by
# `keyshelf version`). BUILDTAGS (default no_animations,no_emoji) are the tags of
# `make build`; the packager adds its own "release" tag, -trimpath and -s -w.
#
# The packager builds in the folder it packages, drops generated files there
# (fyne_metadata_init.go, fyne.syso, the binary) and bumps the build number
# in FyneApp.toml, so it runs on a copy of the source (the files git tracks,
# plus new ones it does not ignore), never in this checkout.
# Nothing is signed: see the README ("Unsigned").
set -euo pipefail

target="${1:-}"
case "$target" in
  linux | windows | darwin) ;;
  *) echo "usage: $0 linux|windows|darwin" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$PATH:/usr/local/go/bin"
tags="${BUILDTAGS-no_animations,no_emoji}"

toml() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" "$root/FyneApp.toml"; }
name="$(toml Name)"
version="$(toml Version)"
if [ -z "$name" ] || [ -z "$version" ]; then
  echo "package: FyneApp.toml needs Name and Version in [Details]" >&2
  exit 1
fi
case "$version" in
  *[!0-9.]* | .* | *. | *..*)
    echo "package: FyneApp.toml's Version \"$version\" is not x, x.y or x.y.z" >&2
    exit 1 ;;
esac
lower="$(tr '[:upper:]' '[:lower:]' <<<"$name")"

stage="$(mktemp -d "${TMPDIR:-/tmp}/keyshelf-package.XXXXXXXX")"
trap 'rm -rf "$stage"' EXIT
# The source as it is in this checkout, committed or not.
(
  cd "$root"
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -
) | tar -xf - -C "$stage"

# The packager itself (built once, then from Go's cache), run from the copy.
fyne="$(cd "$stage" && go tool -modfile=tools/go.mod -n fyne)"

args=(package -os "$target" --release)
[ -n "$tags" ] && args+=(--tags "$tags")
# The packager passes GOFLAGS' -ldflags= on to go build (one field, no spaces).
goflags="${GOFLAGS:+$GOFLAGS }-ldflags=-X=main.version=$version"

# check_exe fails unless the .exe is a 64-bit GUI-subsystem program (no
# console window) whose resources hold an icon, an icon group, the version
# (with FyneApp.toml's in its ProductVersion) and a manifest. It needs file,
# strings and the mingw-w64 objdump (make package installs them on Debian);
# elsewhere it only warns.
check_exe() {
  local exe="$1" objdump="x86_64-w64-mingw32-objdump" dump tool type pv
  for tool in file strings "$objdump"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      if [ "$(uname -s)" = Linux ]; then
        echo "package: $tool not found to check $exe: run scripts/install-deps.sh package" >&2
        exit 1
      fi
      echo "package: warning: $tool not found: $exe not checked" >&2
      return 0
    fi
  done
  if ! file -b "$exe" | grep -q '^PE32+ executable (GUI) x86-64'; then
    echo "package: $exe is not a 64-bit GUI program: $(file -b "$exe")" >&2
    exit 1
  fi
  dump="$("$objdump" -p "$exe")"
  # The top level of the resource tree lists the types: 3 RT_ICON,
  # 0xe RT_GROUP_ICON, 0x10 RT_VERSION, 0x18 RT_MANIFEST.
  for type in 000003 00000e 000010 000018; do
    if ! grep -Eq "^[0-9a-f]{3}   Entry: ID: 0x$type," <<<"$dump"; then
      echo "package: $exe has no resource of type 0x$type (icon 3, icon group e, version 10, manifest 18)" >&2
      exit 1
    fi
  done
  # goversioninfo writes ProductVersion as VERSION.BUILD.
  pv="$(strings -el "$exe" | grep -A1 -x ProductVersion | sed -n 2p)"
  case "$pv" in
    "$version".[0-9]*) ;;
    *) echo "package: $exe's version resource gives \"$pv\", not $version.BUILD" >&2; exit 1 ;;
  esac
  echo "package: $exe: PE32+ GUI, with icon, version $version and manifest resources"
}

mkdir -p "$root/dist"
start=$SECONDS
case "$target" in
  linux)
    arch="$(go env GOARCH)"
    (cd "$stage" && GOFLAGS="$goflags" "$fyne" "${args[@]}")
    out="$root/dist/$lower-$version-linux-$arch.tar.xz"
    mv "$stage/$name.tar.xz" "$out"
    ;;
  windows)
    env=(GOOS=windows GOARCH=amd64)
    if [ "$(go env GOHOSTOS)" != windows ]; then
      cc="${CC_WINDOWS:-x86_64-w64-mingw32-gcc}"
      if ! command -v "$cc" >/dev/null 2>&1; then
        echo "package: $cc not found: run scripts/install-deps.sh package (Debian: gcc-mingw-w64-x86-64)" >&2
        exit 1
      fi
      env+=(CC="$cc")
    fi
    (cd "$stage" && env "${env[@]}" GOFLAGS="$goflags" "$fyne" "${args[@]}")
    out="$root/dist/$lower-$version-windows-amd64.exe"
    mv "$stage/$name.exe" "$out"
    check_exe "$out"
    ;;
  darwin)
    if [ "$(uname -s)" != Darwin ]; then
      echo "package: the macOS app is built on a Mac (cgo needs Apple's SDK); see the README" >&2
      exit 1
    fi
    arch="$(go env GOARCH)"
    (cd "$stage" && GOFLAGS="$goflags" "$fyne" "${args[@]}")
    app="$root/dist/$name.app"
    rm -rf "$app"
    mv "$stage/$name.app" "$app"
    # Not a Developer ID signature: an ad-hoc one, so that the bundle is
    # consistently signed and Gatekeeper offers "Open Anyway" for it.
    codesign --force --deep --sign - "$app"
    out="$root/dist/$lower-$version-macos-$arch.dmg"
    dmgdir="$stage/dmg"
    mkdir "$dmgdir"
    cp -R "$app" "$dmgdir/"
    ln -s /Applications "$dmgdir/Applications" # drag the app onto it to install
    rm -f "$out"
    hdiutil create -volname "$name" -srcfolder "$dmgdir" -ov -format UDZO "$out"
    ;;
esac
echo "package: $out ($(du -h "$out" | cut -f1), $((SECONDS - start)) s)"
