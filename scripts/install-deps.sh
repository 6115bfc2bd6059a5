#!/usr/bin/env bash
# Install the Debian packages Keyshelf needs, only the ones that are missing.
#
#   scripts/install-deps.sh run    # build and run the GUI (cgo + GLFW/X11 headers,
#                                  # and an emoji font: the build leaves out Fyne's)
#   scripts/install-deps.sh test   # run group + Xvfb, xdotool, xclip, ImageMagick,
#                                  # gnome-keyring, dbus-x11, xz-utils, x11-utils,
#                                  # keepassxc (keepassxc-cli makes the import tests' exports),
#                                  # syncthing and iproute2 (make test-sync: ip brings up
#                                  # loopback in the tests' private network namespace),
#                                  # sway, xwayland, x11-xserver-utils (xhost) and
#                                  # wl-clipboard (make test-wayland: a headless Wayland
#                                  # session with XWayland, and wl-paste to read it)
#   scripts/install-deps.sh measure # test group + hyperfine, the timer of
#                                  # scripts/measure-peer.sh (KeePassXC is its peer)
#   scripts/install-deps.sh check  # run group + shellcheck (actionlint runs it)
#   scripts/install-deps.sh package  # run group + xz-utils, file and the
#                                  # mingw-w64 C compiler for the Windows .exe
#
# Idempotent: prints one line and changes nothing when everything is present.
set -euo pipefail

group="${1:-run}"

run_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
          libxinerama-dev libxi-dev libxxf86vm-dev fonts-noto-color-emoji)
test_pkgs=("${run_pkgs[@]}" xvfb xdotool xclip imagemagick gnome-keyring dbus-x11
           xz-utils x11-utils keepassxc git zsh age openssh-client syncthing iproute2
           sway xwayland x11-xserver-utils wl-clipboard)
measure_pkgs=("${test_pkgs[@]}" hyperfine)
check_pkgs=("${run_pkgs[@]}" shellcheck)
package_pkgs=("${run_pkgs[@]}" xz-utils file gcc-mingw-w64-x86-64)

case "$group" in
  run)  pkgs=("${run_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  measure) pkgs=("${measure_pkgs[@]}") ;;
  check) pkgs=("${check_pkgs[@]}") ;;
  package) pkgs=("${package_pkgs[@]}") ;;
  *)    echo "usage: $0 run|test|measure|check|package" >&2; exit 2 ;;
esac

check_go() {
  if command -v go >/dev/null 2>&1; then
    return 0
  fi
  if [ -x /usr/local/go/bin/go ]; then
    echo "install-deps: note: go is not on PATH but /usr/local/go/bin/go exists;" \
         "add /usr/local/go/bin to PATH (the Makefile does this itself)." >&2
    return 0
  fi
  echo "install-deps: ERROR: the Go toolchain (go >= 1.26) was not found on PATH" \
       "or in /usr/local/go/bin. Install it from https://go.dev/dl/." >&2
  return 1
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  cat <<'MSG'
install-deps: apt-get not found; not a Debian/Ubuntu system, installing nothing.
  macOS:   Xcode command line tools (xcode-select --install) and Go >= 1.26.
           The keychain is the built-in macOS Keychain; window tests are Linux-only.
  Windows: Go >= 1.26 and a cgo C compiler (e.g. MSYS2 mingw-w64-x86_64-gcc or TDM-GCC)
           on PATH. The keychain is Windows Credential Manager.
  Other Linux: a C compiler, pkg-config and the development headers for OpenGL (Mesa),
           X11, Xcursor, Xrandr, Xinerama, Xi and Xxf86vm, and an emoji font
           (Noto Color Emoji). For the tests also: Xvfb,
           xdotool, xclip, ImageMagick, gnome-keyring, dbus (dbus-run-session), keepassxc,
           xz, xdpyinfo (x11-utils), syncthing, ip (iproute2) and unshare (util-linux).
           For make check: shellcheck. For make package:
           xz, file and the mingw-w64 gcc (x86_64-w64-mingw32-gcc) for the Windows .exe.
MSG
  check_go || true
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  if [ "$status" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} '$group' packages already installed."
else
  echo "install-deps: installing missing '$group' packages: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "install-deps: ERROR: not root and sudo is not available; install as root:" >&2
      echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

check_go
