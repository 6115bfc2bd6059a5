#!/usr/bin/env bash
# Take the real-window screenshots in docs/screenshots/ (make screenshots).
# Runs itself under scripts/with-xvfb.sh when DISPLAY is not set.
#
#   scripts/screenshots.sh [OUTDIR]     # default docs/screenshots; needs bin/keyshelf
#
#   welcome.png  first start, no vault yet
#   unlock.png   the passphrase screen
#   main.png     unlocked: eight fake keys, masked
#   copied.png   after typing "git" and Enter: the status line counts down
#   editor-error.png  Add with a name already taken: the problem shows above the buttons
#   save-failed.png   then Save after the vault's folder was deleted: "Could not save"
#   import-preview.png  File ▸ Import keys… on a .env file: one row unticked, a clash renamed
#   import-done.png     Import pressed: the summary
#
# Every key and the passphrase are fake. The app runs in a throwaway HOME, so
# the vault is at its default place (Keyshelf/vault.keyshelf under
# XDG_CONFIG_HOME). Each shot is the window only (ImageMagick import).
# Env: KEYSHELF_BIN.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DISPLAY:-}" ]; then
  exec "$root/scripts/with-xvfb.sh" "$0" "$@"
fi
out="${1:-$root/docs/screenshots}"
bin="${KEYSHELF_BIN:-$root/bin/keyshelf}"
if [ ! -x "$bin" ]; then
  echo "screenshots: $bin not found; run make build first" >&2
  exit 1
fi
for tool in xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool not found (scripts/install-deps.sh test)" >&2; exit 127; }
done
mkdir -p "$out"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyshelf-shots.XXXXXXXX")"
app=""
cleanup() {
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export LANG=C.UTF-8 HOME="$tmp/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
unset KEYSHELF_VAULT
mkdir -p "$HOME"
pass="screenshot fake passphrase"
printf '%s\n' "$pass" >"$tmp/pass"
chmod 600 "$tmp/pass"

# start: run the window and wait until it is on screen, focused and drawn.
start() {
  "$bin" >"$tmp/app.log" 2>&1 &
  app=$!
  win=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" --all --name '^Keyshelf$' | head -1)
  xdotool windowfocus --sync "$win"
  sleep 1
}
stop() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
}
# shot NAME: the window's contents into $out/NAME.png.
shot() {
  import -window "$win" "$out/$1.png"
  echo "screenshots: $out/$1.png ($(xdotool getwindowgeometry "$win" | awk '/Geometry/ { print $2 }'))"
}

# 1. No vault yet.
start
shot welcome
stop

# 2. A vault with fake keys (fixed fake text, so the masked tails stay the
#    same from one run to the next).
fake=FAKEKEYFORSCREENSHOTSONLYnotarealkey0123456789abcdefghijklmnopqrstuvwxyz
# cli ARG...: a keyshelf command, quiet unless it fails.
cli() {
  "$bin" --passphrase-file "$tmp/pass" "$@" >"$tmp/cli.log" 2>&1 ||
    { echo "screenshots: keyshelf $1 failed:" >&2; cat "$tmp/cli.log" >&2; return 1; }
}
add() { # NAME KEY
  printf '%s' "$2" | cli add "$1"
}
cli init </dev/null
add "OpenAI production" "sk-proj-${fake:0:40}T3BlbkFJ${fake:0:30}Qx7d"
add "OpenAI staging" "sk-proj-${fake:0:30}T3BlbkFJ${fake:0:20}m2Ka"
add "Anthropic" "sk-ant-api03-${fake}Zr8p"
add "GitHub deploy" "ghp_${fake:0:32}4fTe"
add "Stripe live" "sk_live_${fake:0:60}9wLc"
add "Stripe test" "sk_test_${fake:0:60}Hb3n"
add "Hugging Face" "hf_FAKEKEYFORSCREENSHOTSONLYnotarekPv"
add "Groq" "gsk_${fake:0:48}Ty6u"

start
shot unlock
xdotool type --delay 20 "$pass"
xdotool key Return
sleep 2
shot main
xdotool type --delay 50 git
sleep 0.5
xdotool key Return
sleep 1.5
shot copied
# The editor with a problem showing: a new key under a name already taken.
xdotool key Escape
sleep 0.3
xdotool key ctrl+n
sleep 1
xdotool type --delay 30 "Anthropic"
sleep 0.3
xdotool key Tab
xdotool type --delay 5 "sk-ant-api03-${fake}Qm4w"
sleep 1
shot editor-error
# "Could not save" when the vault's folder is gone: a new name, the folder
# deleted, then Save.
xdotool key shift+Tab
xdotool key ctrl+a
xdotool type --delay 30 "Anthropic backup"
vaultdir="$XDG_CONFIG_HOME/Keyshelf"
mv "$vaultdir" "$tmp/moved-away"
xdotool key Tab
sleep 0.3
xdotool key Return
sleep 1
shot save-failed
stop

# 3. Importing a project's .env file through File ▸ Import keys…: the
#    preview with a duplicate (the Groq key is in the vault), a name taken
#    (OPENAI_API_KEY), settings left out; one row unticked and the clash
#    renamed by hand; then Import and the summary.
mv "$tmp/moved-away" "$vaultdir"
add "OPENAI_API_KEY" "sk-proj-${fake:2:40}T3BlbkFJ${fake:0:30}Lm5v"
cat >"$HOME/project.env" <<ENV
# project settings
export OPENAI_API_KEY='sk-proj-${fake:1:40}T3BlbkFJ${fake:0:30}Wp2s'
GROQ_API_KEY=gsk_${fake:0:48}Ty6u
STRIPE_API_KEY="sk_live_${fake:3:60}Vn4e" # live
ANTHROPIC_API_KEY=sk-ant-api03-${fake}Jk2c
GITHUB_TOKEN=ghp_${fake:1:32}8sRb
PORT=8080
DEBUG=true
ENV
start
xdotool type --delay 20 "$pass"
xdotool key Return
sleep 2
# The menu bar is drawn in the window: File, then its third item. The file
# dialog opens on the home folder, where project.env is the only file.
xdotool mousemove --window "$win" 25 12 click 1
sleep 0.7
xdotool mousemove --window "$win" 60 122 click 1
sleep 1.2
xdotool mousemove --window "$win" 424 205 click 1
sleep 0.5
xdotool mousemove --window "$win" 794 547 click 1
sleep 1.5
# Untick GITHUB_TOKEN (row 5); rename OPENAI_API_KEY (2) (row 1).
xdotool mousemove --window "$win" 65 347 click 1
xdotool mousemove --window "$win" 200 190 click 1
xdotool key ctrl+a
xdotool type --delay 20 "OpenAI (this project)"
sleep 0.7
shot import-preview
xdotool mousemove --window "$win" 550 561 click 1
sleep 1.5
shot import-done
stop
echo "screenshots: after the import, keyshelf list says:"
"$bin" --passphrase-file "$tmp/pass" list 2>/dev/null
