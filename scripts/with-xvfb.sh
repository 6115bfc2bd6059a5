#!/usr/bin/env bash
# Run a command with DISPLAY pointing at a private Xvfb server (1280x800x24).
#
#   scripts/with-xvfb.sh xdotool getdisplaygeometry
#
# Picks the first free display number from 99 upward, waits until the server
# answers, stops it on exit and returns the command's exit code.
# Needs: Xvfb (xvfb), xdpyinfo (x11-utils).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in Xvfb xdpyinfo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-xvfb: $tool not found; run scripts/install-deps.sh test" >&2
    exit 127
  fi
done

xvfb_pid=""
xvfb_log="$(mktemp "${TMPDIR:-/tmp}/keyshelf-xvfb.XXXXXXXX")"
cleanup() {
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill "$xvfb_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$xvfb_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -f "$xvfb_log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=""
for n in $(seq 99 199); do
  if [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; then
    continue
  fi
  # -noreset: without it the server resets whenever its last client leaves
  # (e.g. between two app runs), and a client connecting meanwhile fails with
  # "Failed to open display".
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset >"$xvfb_log" 2>&1 &
  xvfb_pid=$!
  # Wait up to 10 s for the server to answer.
  for _ in $(seq 1 100); do
    if ! kill -0 "$xvfb_pid" 2>/dev/null; then
      break # died, e.g. lost a race for this display number; try the next one
    fi
    if DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then
      started=":$n"
      break
    fi
    sleep 0.1
  done
  [ -n "$started" ] && break
  kill "$xvfb_pid" 2>/dev/null || true
  wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
done

if [ -z "$started" ]; then
  echo "with-xvfb: could not start Xvfb on any display :99-:199" >&2
  cat "$xvfb_log" >&2 || true
  exit 125
fi

export DISPLAY="$started"
unset WAYLAND_DISPLAY

set +e
"$@"
rc=$?
set -e
exit "$rc"
