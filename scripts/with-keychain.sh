#!/usr/bin/env bash
# Run a command against a private, unlocked Secret Service (gnome-keyring) on a
# private D-Bus session bus, so real-keychain tests never touch the user's keyring.
#
#   scripts/with-keychain.sh go test -run RealKeychain ./...
#
# HOME, XDG_RUNTIME_DIR and the XDG data/config/cache dirs point into a throwaway
# directory (mode 0700) that is removed afterwards. The Go build/module caches and
# go env file of the outer environment are kept. The command's exit code is returned.
# Needs: dbus-run-session and dbus-send (dbus), gnome-keyring-daemon (gnome-keyring).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keychain: $tool not found; run scripts/install-deps.sh test" >&2
    exit 127
  fi
done

# Keep the Go caches before HOME changes (their defaults live under HOME).
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if command -v go >/dev/null 2>&1; then
  GOCACHE="$(go env GOCACHE)"
  GOMODCACHE="$(go env GOMODCACHE)"
  GOPATH="$(go env GOPATH)"
  GOENV="$(go env GOENV)"
  export GOCACHE GOMODCACHE GOPATH GOENV
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyshelf-keychain.XXXXXXXX")"
chmod 0700 "$tmp"
cleanup() {
  rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp" || true; }
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 0700 "$tmp/home" "$tmp/run"
export HOME="$tmp/home"
# Always private: a shared XDG_RUNTIME_DIR could reach the user's real keyring daemon.
export XDG_RUNTIME_DIR="$tmp/run"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

set +e
dbus-run-session -- sh -c '
  # Start the daemon in the foreground (so its pid is known and it can be stopped),
  # create and unlock the login keyring with a throwaway password from stdin.
  printf "%s" keyshelf-test-pw |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  kpid=$!
  # Wait (bounded, up to 10 s) until it owns org.freedesktop.secrets on the bus.
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus \
          /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
          string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ] || ! kill -0 "$kpid" 2>/dev/null; then
      echo "with-keychain: gnome-keyring-daemon did not start" >&2
      kill "$kpid" 2>/dev/null
      exit 125
    fi
    sleep 0.1
  done
  "$@"
  rc=$?
  kill "$kpid" 2>/dev/null
  wait "$kpid" 2>/dev/null
  exit "$rc"
' with-keychain "$@"
rc=$?
set -e
exit "$rc"
