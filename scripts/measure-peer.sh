#!/usr/bin/env bash
# Measure Keyshelf and KeePassXC side by side, in one run, on the same fake
# keys, in one private X server (docs/benchmarks.md, issue #11). Runs itself
# under scripts/with-xvfb.sh when DISPLAY is not set.
#
#   scripts/measure-peer.sh [N...]     # default: 1 10000; needs bin/keyshelf (make build)
#
# For each vault size N it makes a Keyshelf vault (e2e/cmd/mkvault) and a
# KeePassXC database with the same names and key shapes (e2e/cmd/mkkeepass,
# then `keepassxc-cli import`; the CLI gives it AES-KDF with a 300 ms target,
# where Keyshelf uses Argon2id with 64 MiB), then reads:
#   start:  ms from exec to the mapped unlock window of the largest vault
#           (e2e/cmd/mapwait, which waits for the X server's MapNotify: no
#           polling), the two apps alternately, RUNS times each, fresh HOME;
#   memory: VmRSS once it has been still for a second after unlocking (for
#           Keyshelf: passphrase typed and Enter, 8 s, then still; for
#           KeePassXC: --pw-stdin); for Keyshelf also just after a key is
#           copied by typing a name and Enter (which saves the vault: the
#           copy is logged), which proves it was unlocked;
#   rest:   VmRSS at the end of the idle reading (Keyshelf: 32 s plus
#           SECONDS_PER_STATE after the copy, the clipboard cleared;
#           KeePassXC: SECONDS_PER_STATE after its first reading);
#   idle:   the share of a core (user + system, /proc/PID/stat) over
#           SECONDS_PER_STATE seconds, unlocked and idle;
#   list:   hyperfine medians of `keyshelf list --json` and
#           `keepassxc-cli ls -R -f` (passphrase from a file, each through
#           `sh -c` so both pay the same shell), and the extra time of the
#           largest vault over the smallest.
# Env: KEYSHELF_BIN, RUNS (default 10), SECONDS_PER_STATE (default 10),
# LIST_RUNS (default 10).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DISPLAY:-}" ]; then
  exec "$root/scripts/with-xvfb.sh" "$0" "$@"
fi
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10000)
runs="${RUNS:-10}"
window="${SECONDS_PER_STATE:-10}"
list_runs="${LIST_RUNS:-10}"
# shellcheck source=scripts/measure-lib.sh
. "$root/scripts/measure-lib.sh"
measure_init measure-peer xdotool xclip go keepassxc keepassxc-cli hyperfine
build_tools mkvault mkkeepass mapwait
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "keyshelf: $bin; $(keepassxc --version 2>/dev/null | head -1 || true)"

# fresh NAME: the environment of a first start: empty HOME, config, cache
# and runtime directories (so neither app finds a running copy or a cache).
fresh() {
  local h="$tmp/home-$1"
  rm -rf "$h"
  mkdir -p "$h/run"
  chmod 700 "$h" "$h/run"
  echo "HOME=$h XDG_CONFIG_HOME=$h/.config XDG_CACHE_HOME=$h/.cache XDG_DATA_HOME=$h/.local/share XDG_RUNTIME_DIR=$h/run"
}
stop_app() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  # mapwait -keep leaves the app as its orphan: wait for it to go.
  while [ -n "$app" ] && kill -0 "$app" 2>/dev/null; do sleep 0.05; done
  app=""
  sleep 0.3 # let the server drop the window
}
median() {
  sort -n <<<"$(printf '%s\n' "$@")" | awk '{ v[NR] = $1 }
    END { printf "%d", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() { sort -n <<<"$(printf '%s\n' "$@")" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d-%d", lo, hi }'; }

for n in "${sizes[@]}"; do
  "$tmp/mkvault" -n "$n" -passphrase-file "$tmp/pass" "$tmp/vault-$n.keyshelf" >/dev/null
  "$tmp/mkkeepass" -n "$n" "$tmp/kp-$n.xml" >/dev/null
  printf '%s\n%s\n' "$pass" "$pass" |
    keepassxc-cli import -q -p -t 300 "$tmp/kp-$n.xml" "$tmp/kp-$n.kdbx" >/dev/null 2>&1
  rm "$tmp/kp-$n.xml"
done
big="${sizes[-1]}" small="${sizes[0]}"

# Start-up, alternately.
ks_start=() kp_start=()
for i in $(seq 1 "$runs"); do
  # shellcheck disable=SC2046 # fresh prints words for env
  ks_start+=("$("$tmp/mapwait" -name '^Keyshelf$' -- env $(fresh "ks$i") "$bin" --vault "$tmp/vault-$big.keyshelf" 2>>"$tmp/app.log")")
  sleep 0.3
  # shellcheck disable=SC2046
  kp_start+=("$("$tmp/mapwait" -name 'KeePassXC$' -- env $(fresh "kp$i") keepassxc "$tmp/kp-$big.kdbx" 2>>"$tmp/app.log")")
  sleep 0.3
  echo "start run $i: keyshelf ${ks_start[-1]} ms, keepassxc ${kp_start[-1]} ms"
done

declare -A ks_rss ks_copy kp_rss ks_rest kp_rest ks_idle kp_idle ks_list kp_list
for n in "${sizes[@]}"; do
  # Keyshelf: type the passphrase, copy a key by name.
  # shellcheck disable=SC2046
  out="$("$tmp/mapwait" -keep -name '^Keyshelf$' -- env $(fresh "ksm$n") "$bin" --vault "$tmp/vault-$n.keyshelf" 2>>"$tmp/app.log")"
  app=$(sed -n 2p <<<"$out")
  win=$(xdotool search --onlyvisible --pid "$app" --all --name '^Keyshelf$' | head -1)
  xdotool windowfocus --sync "$win"
  sleep 1
  xdotool type --delay 20 "$pass"
  xdotool key Return
  # Unlocked and left alone for 8 s (Argon2id and the decode take under a
  # second here; the window hands back the garbage of its first drawing 5 s
  # after the unlock), then still: KeePassXC is read at rest below too.
  sleep 8
  wait_stable
  ks_rss[$n]=$(mib "$(status_kb VmRSS)")
  printf '' | xclip -selection clipboard
  end=$(( $(date +%s) + 60 ))
  until [ -n "$(xclip -o -selection clipboard 2>/dev/null || true)" ]; do
    [ "$(date +%s)" -lt "$end" ] || { echo "measure-peer: keyshelf, $n keys: never unlocked" >&2; tail "$tmp/app.log" >&2; exit 1; }
    xdotool key Escape
    xdotool type --delay 20 "openai"
    xdotool key Return
    sleep 0.5
  done
  xdotool key Escape
  wait_stable
  ks_copy[$n]=$(mib "$(status_kb VmRSS)")
  sleep 32 # the copy's clear (30 s by default), so that idle is idle
  ks_idle[$n]=$(share)
  ks_rest[$n]=$(mib "$(status_kb VmRSS)")
  stop_app

  # KeePassXC: unlocked at start with --pw-stdin; its title then names the database.
  # shellcheck disable=SC2046
  out="$(printf '%s\n' "$pass" | "$tmp/mapwait" -keep -name '^measure - KeePassXC$' -- env $(fresh "kpm$n") keepassxc --pw-stdin "$tmp/kp-$n.kdbx" 2>>"$tmp/app.log")"
  app=$(sed -n 2p <<<"$out")
  wait_stable
  kp_rss[$n]=$(mib "$(status_kb VmRSS)")
  kp_idle[$n]=$(share)
  kp_rest[$n]=$(mib "$(status_kb VmRSS)")
  stop_app
  echo "$n keys: RSS unlocked keyshelf ${ks_rss[$n]} MiB (after a copy ${ks_copy[$n]}, at rest ${ks_rest[$n]}), keepassxc ${kp_rss[$n]} MiB (at rest ${kp_rest[$n]}); idle keyshelf ${ks_idle[$n]} %, keepassxc ${kp_idle[$n]} %"

  hyperfine -N --warmup 2 --runs "$list_runs" --export-csv "$tmp/list-$n.csv" \
    -n keyshelf "sh -c '\"$bin\" --vault \"$tmp/vault-$n.keyshelf\" --passphrase-file \"$tmp/pass\" list --json'" \
    -n keepassxc "sh -c 'keepassxc-cli ls -q -R -f \"$tmp/kp-$n.kdbx\" < \"$tmp/pass\"'" >"$tmp/hyperfine-$n.log"
  # CSV: command,mean,stddev,median,user,system,min,max (seconds)
  ks_list[$n]=$(awk -F, '$1 == "keyshelf" { printf "%.1f", $4 * 1000 }' "$tmp/list-$n.csv")
  kp_list[$n]=$(awk -F, '$1 == "keepassxc" { printf "%.1f", $4 * 1000 }' "$tmp/list-$n.csv")
  echo "$n keys: list median keyshelf ${ks_list[$n]} ms, keepassxc ${kp_list[$n]} ms ($list_runs runs)"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
ks_med=$(median "${ks_start[@]}") kp_med=$(median "${kp_start[@]}")
echo
echo "| figure | Keyshelf | KeePassXC | Keyshelf / KeePassXC |"
echo "|---|---|---|---|"
echo "| start to a visible unlock window, $big keys (median, range of $runs) | $ks_med ms ($(range "${ks_start[@]}")) | $kp_med ms ($(range "${kp_start[@]}")) | $(ratio "$ks_med" "$kp_med") |"
for n in "${sizes[@]}"; do
  echo "| RSS after unlocking $n keys | ${ks_rss[$n]} MiB | ${kp_rss[$n]} MiB | $(ratio "${ks_rss[$n]}" "${kp_rss[$n]}") |"
  echo "| RSS just after a copy (Keyshelf), $n keys | ${ks_copy[$n]} MiB | | |"
  echo "| RSS at rest, unlocked, $n keys | ${ks_rest[$n]} MiB | ${kp_rest[$n]} MiB | $(ratio "${ks_rest[$n]}" "${kp_rest[$n]}") |"
done
for n in "${sizes[@]}"; do
  echo "| CPU unlocked and idle, $n keys | ${ks_idle[$n]} % | ${kp_idle[$n]} % | |"
done
for n in "${sizes[@]}"; do
  echo "| list, $n keys (median of $list_runs) | ${ks_list[$n]} ms | ${kp_list[$n]} ms | |"
done
if [ "$big" != "$small" ]; then
  ks_extra=$(awk -v a="${ks_list[$big]}" -v b="${ks_list[$small]}" 'BEGIN { printf "%.1f", a - b }')
  kp_extra=$(awk -v a="${kp_list[$big]}" -v b="${kp_list[$small]}" 'BEGIN { printf "%.1f", a - b }')
  echo "| list, extra cost of $big entries over $small | $ks_extra ms | $kp_extra ms | $(ratio "$ks_extra" "$kp_extra") |"
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
