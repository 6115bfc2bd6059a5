#!/usr/bin/env bash
# Measure Keyshelf's memory in the real window (docs/benchmarks.md): VmRSS and
# VmHWM (peak RSS) from /proc/PID/status, on the locked unlock window and after
# unlocking a vault of N fake keys and copying one by typing. Runs itself
# under scripts/with-xvfb.sh when DISPLAY is not set.
#
#   scripts/measure-memory.sh [N...]     # default: 1 10000; needs bin/keyshelf (make build)
#
# The vaults are made by e2e/cmd/mkvault (one save, default KDF). Each size
# runs RUNS times (default 3). "Unlocked" is detected by typing part of a name
# and Enter until the clipboard holds a key; figures are read once VmRSS has
# not moved by more than 1 MiB for a second; "at rest" once more after
# REST_SECONDS (default 8) without input. Env: KEYSHELF_BIN, RUNS, REST_SECONDS.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DISPLAY:-}" ]; then
  exec "$root/scripts/with-xvfb.sh" "$0" "$@"
fi
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10000)
runs="${RUNS:-3}"
# shellcheck source=scripts/measure-lib.sh
. "$root/scripts/measure-lib.sh"
measure_init measure-memory xdotool xclip go
build_mkvault

clip_has_text() {
  local s
  s="$(xclip -o -selection clipboard 2>/dev/null || true)"
  [ -n "$s" ]
}

results=()
for n in "${sizes[@]}"; do
  vault="$tmp/vault-$n.keyshelf"
  "$tmp/mkvault" -n "$n" -passphrase-file "$tmp/pass" "$vault" >/dev/null
  for r in $(seq 1 "$runs"); do
    home="$tmp/home-$n-$r"
    mkdir -p "$home"
    HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
      "$bin" --vault "$vault" >"$tmp/app.log" 2>&1 &
    app=$!
    win=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" --all --name '^Keyshelf$' | head -1)
    xdotool windowfocus --sync "$win"
    wait_stable
    locked_rss=$(status_kb VmRSS) locked_hwm=$(status_kb VmHWM)

    xdotool type --delay 20 "$pass"
    xdotool key Return
    t0=$(now_ms)
    end=$((t0 + 60000))
    copied=""
    while [ -z "$copied" ] && [ "$(now_ms)" -lt "$end" ]; do
      xdotool key Escape
      xdotool type --delay 20 "openai"
      xdotool key Return
      for _ in 1 2 3 4 5; do
        if clip_has_text; then copied=$(now_ms); break; fi
        sleep 0.1
      done
    done
    if [ -z "$copied" ]; then
      echo "measure-memory: $n keys: no key on the clipboard after 60 s; the app said:" >&2
      cat "$tmp/app.log" >&2
      exit 1
    fi
    wait_stable
    open_rss=$(status_kb VmRSS) open_hwm=$(status_kb VmHWM)
    # At rest: the window left alone for REST_SECONDS after the copy (it
    # hands back the garbage of a burst of use 5 s after the last input).
    sleep "${REST_SECONDS:-8}"
    wait_stable
    rest_rss=$(status_kb VmRSS)
    kill "$app"; wait "$app" 2>/dev/null || true; app=""
    line="$n keys, run $r: locked VmRSS $(mib "$locked_rss") MiB (VmHWM $(mib "$locked_hwm")); unlocked+copied VmRSS $(mib "$open_rss") MiB (VmHWM $(mib "$open_hwm")), at rest $(mib "$rest_rss") MiB; Enter to key on clipboard <= $((copied - t0)) ms"
    echo "$line"
    results+=("$line")
  done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
