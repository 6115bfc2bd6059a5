#!/usr/bin/env bash
# Run a command with a private headless Wayland compositor (Sway, no GPU, no
# input devices): WAYLAND_DISPLAY, XDG_RUNTIME_DIR and SWAYSOCK point at it,
# and it is stopped afterwards. Sway refuses to run as root, so under root it
# runs as nobody (its sockets stay reachable for root).
#
#   scripts/with-sway.sh COMMAND [ARGS...]
#   XWAYLAND=1 scripts/with-sway.sh COMMAND...   # also XWayland: DISPLAY is
#                                                # set, and this user may use it
set -euo pipefail
command -v sway >/dev/null || { echo "with-sway: sway not found (scripts/install-deps.sh test)" >&2; exit 127; }
dir="$(mktemp -d "${TMPDIR:-/tmp}/keyshelf-sway.XXXXXXXX")"
run="$dir/run"
mkdir -m 700 "$run"
printf 'output HEADLESS-1 resolution 1280x800\n' >"$dir/config"
chmod 755 "$dir"
as=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$run"
  as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
fi
if [ -n "${XWAYLAND:-}" ]; then
  command -v Xwayland >/dev/null || { echo "with-sway: Xwayland not found (scripts/install-deps.sh test)" >&2; exit 127; }
  command -v xhost >/dev/null || { echo "with-sway: xhost not found (scripts/install-deps.sh test)" >&2; exit 127; }
  # XWayland lets in only Sway's user; the first X client (xhost, run by
  # Sway as that user) starts it and lets this user in too.
  touch "$dir/display"
  chmod 666 "$dir/display"
  printf 'xwayland enable\nexec sh -c %s\n' \
    "'xhost +si:localuser:$(id -un) >/dev/null && echo \"\$DISPLAY\" > \"$dir/display\"'" >>"$dir/config"
else
  printf 'xwayland disable\n' >>"$dir/config"
fi
env -u DISPLAY -u WAYLAND_DISPLAY HOME="$dir" XDG_RUNTIME_DIR="$run" WLR_BACKENDS=headless \
  WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman "${as[@]}" sway -c "$dir/config" >"$dir/sway.log" 2>&1 &
sway=$!
cleanup() {
  kill "$sway" 2>/dev/null || true
  wait "$sway" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  socket=$(find "$run" -maxdepth 1 -type s -name 'wayland-*' -printf '%f\n' 2>/dev/null | head -1)
  [ -n "$socket" ] && break
  kill -0 "$sway" 2>/dev/null || { echo "with-sway: sway did not start:" >&2; cat "$dir/sway.log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$socket" ] || { echo "with-sway: no Wayland socket after 5 s" >&2; cat "$dir/sway.log" >&2; exit 1; }
ipc=""
for _ in $(seq 1 100); do
  ipc=$(find "$run" -maxdepth 1 -type s -name 'sway-ipc.*' | head -1)
  [ -n "$ipc" ] && break
  sleep 0.05
done
[ -n "$ipc" ] || { echo "with-sway: no Sway IPC socket after 5 s" >&2; cat "$dir/sway.log" >&2; exit 1; }
xenv=()
if [ -n "${XWAYLAND:-}" ]; then
  for _ in $(seq 1 200); do
    [ -s "$dir/display" ] && break
    sleep 0.05
  done
  [ -s "$dir/display" ] || { echo "with-sway: XWayland did not start in 10 s" >&2; cat "$dir/sway.log" >&2; exit 1; }
  xenv=(DISPLAY="$(cat "$dir/display")")
else
  xenv=(-u DISPLAY)
fi
env "${xenv[@]}" XDG_RUNTIME_DIR="$run" WAYLAND_DISPLAY="$socket" SWAYSOCK="$ipc" "$@"
