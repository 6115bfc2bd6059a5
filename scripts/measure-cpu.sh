#!/usr/bin/env bash
# Measure Keyshelf's CPU use at rest in the real window (docs/benchmarks.md):
# the share of one core, from /proc/PID/stat (user + system time) over a
# window of SECONDS, in three states, for each vault size:
#   idle:      unlocked, the search field focused, nothing happening;
#   countdown: right after a copy, while the status counts the clear down;
#   hidden:    unlocked, the window unmapped (xdotool windowunmap).
# Runs itself under scripts/with-xvfb.sh when DISPLAY is not set.
#
#   scripts/measure-cpu.sh [N...]     # default: 1 10000; needs bin/keyshelf (make build)
#
# Env: KEYSHELF_BIN, SECONDS_PER_STATE (default 10).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DISPLAY:-}" ]; then
  exec "$root/scripts/with-xvfb.sh" "$0" "$@"
fi
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10000)
window="${SECONDS_PER_STATE:-10}"
# shellcheck source=scripts/measure-lib.sh
. "$root/scripts/measure-lib.sh"
measure_init measure-cpu xdotool xclip go
build_mkvault

for n in "${sizes[@]}"; do
  vault="$tmp/vault-$n.keyshelf"
  "$tmp/mkvault" -n "$n" -passphrase-file "$tmp/pass" "$vault" >/dev/null
  home="$tmp/home-$n"
  mkdir -p "$home"
  HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
    "$bin" --vault "$vault" >"$tmp/app.log" 2>&1 &
  app=$!
  win=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" --all --name '^Keyshelf$' | head -1)
  timeout 10 xdotool windowfocus --sync "$win" || true
  sleep 1
  xdotool type --delay 20 "$pass"
  xdotool key Return
  # Unlocked once a typed name copies a key.
  end=$(( $(date +%s) + 60 ))
  until [ -n "$(xclip -o -selection clipboard 2>/dev/null || true)" ]; do
    [ "$(date +%s)" -lt "$end" ] || { echo "measure-cpu: $n keys: never unlocked" >&2; cat "$tmp/app.log" >&2; exit 1; }
    xdotool key Escape
    xdotool type --delay 20 "openai"
    xdotool key Return
    sleep 0.5
  done
  # Let the copy's clear (30 s by default) pass, then measure at rest.
  xdotool key Escape
  sleep 32
  idle=$(share)
  xdotool type --delay 20 "openai"
  xdotool key Return
  sleep 0.5
  countdown=$(share)
  sleep 22 # the clear
  timeout 10 xdotool windowunmap --sync "$win" || { echo "measure-cpu: the window did not unmap" >&2; exit 1; }
  sleep 1
  hidden=$(share)
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
  echo "$n keys: idle (search focused) ${idle} %, counting down ${countdown} %, hidden ${hidden} % of a core (${window} s each)"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
