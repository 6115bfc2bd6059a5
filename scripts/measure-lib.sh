# shellcheck shell=bash
# What scripts/measure-*.sh share; they source it after re-running
# themselves under Xvfb. Not a script of its own.
#
#   measure_init NAME TOOL...   # sets bin, tmp (removed on exit), app, pass;
#                               # $tmp/pass holds the fake passphrase
#   build_mkvault               # builds e2e/cmd/mkvault as $tmp/mkvault
#   build_tools NAME...         # builds each e2e/cmd/NAME as $tmp/NAME
#   now_ms                      # the time in milliseconds
#   status_kb FIELD, mib KB     # a /proc/$app/status field in kB; kB as MiB
#   wait_stable                 # until $app's VmRSS has been still for a second
#   share                       # $app's CPU over $window seconds, % of a core

measure_init() {
  local name=$1 tool
  shift
  bin="${KEYSHELF_BIN:-$root/bin/keyshelf}"
  if [ ! -x "$bin" ]; then
    echo "$name: $bin not found; run make build first" >&2
    exit 1
  fi
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool not found (scripts/install-deps.sh test)" >&2; exit 127; }
  done
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyshelf-$name.XXXXXXXX")"
  app=""
  trap measure_cleanup EXIT
  export LANG=C.UTF-8
  unset KEYSHELF_VAULT
  pass="measure fake passphrase"
  printf '%s\n' "$pass" >"$tmp/pass"
  chmod 600 "$tmp/pass"
}

measure_cleanup() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  rm -rf "$tmp"
}

build_mkvault() {
  build_tools mkvault
}

build_tools() {
  local t
  for t in "$@"; do
    (cd "$root" && go build -o "$tmp/$t" "./e2e/cmd/$t")
  done
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$app/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }

# wait_stable: until VmRSS moved by at most 1 MiB over the last second (max 20 s).
wait_stable() {
  local last now same=0 end=$(( $(now_ms) + 20000 ))
  last=$(status_kb VmRSS)
  while [ "$same" -lt 10 ] && [ "$(now_ms)" -lt "$end" ]; do
    sleep 0.1
    now=$(status_kb VmRSS)
    if [ $(( now > last ? now - last : last - now )) -le 1024 ]; then
      same=$((same + 1))
    else
      same=0 last=$now
    fi
  done
}

# cpu_ticks: user + system time of the app so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$app/stat"; }
# share: the app's CPU over the next $window seconds (default 10), as % of one core.
share() {
  local t0 c0 t1 c1 hz
  hz=$(getconf CLK_TCK)
  t0=$(date +%s%N) c0=$(cpu_ticks)
  sleep "${window:-10}"
  t1=$(date +%s%N) c1=$(cpu_ticks)
  awk -v c=$((c1 - c0)) -v hz="$hz" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", 100 * (c / hz) / (ns / 1e9) }'
}
