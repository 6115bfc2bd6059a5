# What scripts/measure-*.sh share; they source it after re-running
# themselves under Xvfb. Not a script of its own.
#
#   measure_init NAME TOOL...   # sets bin, tmp (removed on exit), app, pass;
#                               # $tmp/pass holds the fake passphrase
#   build_mkvault               # builds e2e/cmd/mkvault as $tmp/mkvault
#   build_tools NAME...         # builds each e2e/cmd/NAME as $tmp/NAME

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
