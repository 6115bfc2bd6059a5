#!/usr/bin/env bash
# Measure the time from starting Keyshelf to its unlock window being on screen
# (docs/benchmarks.md). Runs itself under scripts/with-xvfb.sh when DISPLAY is
# not set.
#
#   scripts/measure-startup.sh [RUNS]        # default 10; needs bin/keyshelf (make build)
#
# Each run starts the binary on an existing vault (fake passphrase, one fake
# key) in a fresh HOME and times two ways of noticing the window:
#   sync: until `xdotool search --sync --onlyvisible --name '^Keyshelf$'` returns;
#         xdotool --sync polls, so this includes up to one polling interval;
#   poll: until a plain `xdotool search --onlyvisible` (no --sync), repeated
#         every 10 ms, first finds it (a few ms of process start-up per try).
# "On screen" means mapped and viewable, which is what xdotool can see; the
# first frame may be drawn a little later.
# Prints every run and the median and range of each. Env: KEYSHELF_BIN.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DISPLAY:-}" ]; then
  exec "$root/scripts/with-xvfb.sh" "$0" "$@"
fi
runs="${1:-10}"
# shellcheck source=scripts/measure-lib.sh
. "$root/scripts/measure-lib.sh"
measure_init measure-startup xdotool
vault="$tmp/vault.keyshelf"
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" "$bin" --vault "$vault" --passphrase-file "$tmp/pass" init >/dev/null 2>&1
printf 'ghp_FAKEmeasure0123456789abcdefghijklmnop' |
  HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" "$bin" --vault "$vault" --passphrase-file "$tmp/pass" add "GitHub measure" >/dev/null 2>&1

# start_app: a fresh HOME per run (no Fyne caches carried over), sets $app.
start_app() {
  local home="$tmp/home-$1"
  mkdir -p "$home"
  HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
    "$bin" --vault "$vault" >"$tmp/app-$1.log" 2>&1 &
  app=$!
}
stop_app() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
  # Let the server drop the window before the next run.
  sleep 0.3
}

sync_ms=() poll_ms=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms)
  start_app "s$i"
  timeout 30 xdotool search --sync --onlyvisible --pid "$app" --all --name '^Keyshelf$' >/dev/null
  t1=$(now_ms)
  sync_ms+=($((t1 - t0)))
  stop_app

  t0=$(now_ms)
  start_app "p$i"
  deadline=$((t0 + 30000))
  until xdotool search --onlyvisible --pid "$app" --all --name '^Keyshelf$' >/dev/null 2>&1; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "measure-startup: no window after 30 s; the app said:" >&2; cat "$tmp/app-p$i.log" >&2; xdotool search --name Keyshelf >&2; exit 1; }
    sleep 0.01
  done
  t1=$(now_ms)
  poll_ms+=($((t1 - t0)))
  stop_app
  echo "run $i: sync ${sync_ms[-1]} ms, poll ${poll_ms[-1]} ms"
done

summary() { # name values...
  local name=$1; shift
  sort -n <<<"$(printf '%s\n' "$@")" | awk -v name="$name" '
    { v[NR] = $1 }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s: median %d ms, range %d-%d ms (%d runs)\n", name, med, v[1], v[NR], NR
    }'
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
summary "start to unlock window (xdotool --sync)" "${sync_ms[@]}"
summary "start to unlock window (10 ms poll)    " "${poll_ms[@]}"
