# Keyshelf build, check and test targets. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Targets run one after another, in the order listed (also under make -j).
.NOTPARALLEL:

export PATH := $(PATH):/usr/local/go/bin

# A count of runs, not a duration: with a duration, Go 1.26's fuzz
# coordinator can fail a target with "context deadline exceeded" as the
# time runs out, having found nothing (golang/go#75804, fixed in Go 1.27).
# 150000 runs take 1-10 s per target here.
FUZZTIME ?= 150000x
# FuzzMerge runs real vault operations (two vaults, a save each): far slower a run.
MERGEFUZZTIME ?= 400x
BENCHCOUNT ?= 1
ARGS ?=
BENCHPKGS := ./vault/... ./cmdline/... ./gui/...
# no_animations: Fyne's text cursor then stays lit instead of blinking, and
# the blink's endless animation no longer redraws the whole window at the
# frame rate (under software rendering that was most of Keyshelf's idle CPU:
# docs/benchmarks.md). Button and menu transitions go with it.
# no_emoji: Fyne then does not bundle its 4 MB colour emoji font, which it
# parses once per text style at start (about 15 MB of live heap); emoji in
# names are drawn from the system's emoji font instead, loaded only when one
# is shown (Noto Color Emoji, Segoe UI Emoji, Apple Color Emoji).
BUILDTAGS ?= no_animations,no_emoji

.PHONY: help deps-run deps-test deps-check deps-package build run check test \
        test-unit fuzz test-keychain package package-linux test-window test-wayland test-sync bench measure screenshots \
        clean

help: ## List the targets.
	@echo "Usage: make TARGET [FUZZTIME=150000x] [BENCHCOUNT=1] [ARGS='...'] [BUILDTAGS=no_animations,no_emoji]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps-run: ## Install missing Debian packages needed to build and run (apt).
	@scripts/install-deps.sh run

deps-test: ## Install missing Debian packages needed by the tests (apt).
	@scripts/install-deps.sh test

deps-check: ## Install missing Debian packages needed by make check (apt).
	@scripts/install-deps.sh check

deps-package: ## Install missing Debian packages needed by make package (apt).
	@scripts/install-deps.sh package

build: deps-run ## Build bin/keyshelf.
	go build -tags '$(BUILDTAGS)' -o bin/keyshelf .

run: deps-run build ## Build and run the app (pass arguments with ARGS='...').
	LANG=C.UTF-8 ./bin/keyshelf $(ARGS)

check: deps-check ## gofmt, go vet, staticcheck, cross-OS vet of vault, internal/instance, gui/hotkey and gui/autostart, no Fyne in vault, actionlint.
	@files=(); \
	while IFS= read -r f; do [ -f "$$f" ] && files+=("$$f"); done \
	  < <(git ls-files '*.go' ':!third_party'; git ls-files --others --exclude-standard '*.go' ':!third_party'); \
	if [ "$${#files[@]}" -gt 0 ]; then \
	  bad="$$(gofmt -l "$${files[@]}")"; \
	  if [ -n "$$bad" ]; then \
	    echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$bad"; exit 1; \
	  fi; \
	fi; \
	echo "gofmt: ok ($${#files[@]} files)"
	go vet ./...
	go tool staticcheck ./...
	GOOS=windows CGO_ENABLED=0 go vet ./vault/... ./internal/instance/ ./gui/hotkey/ ./gui/autostart/ ./gui/secretclip/
	GOOS=darwin CGO_ENABLED=0 go vet ./vault/... ./internal/instance/ ./gui/hotkey/ ./gui/autostart/ ./gui/secretclip/
	@# staticcheck of the Windows desktop glue: run the host's staticcheck
	@# binary (cached by the line above; `go tool` would build it for GOOS).
	GOOS=windows CGO_ENABLED=0 "$$(go tool -n staticcheck)" ./internal/instance/ ./gui/hotkey/ ./gui/autostart/ ./gui/secretclip/
	@deps="$$(go list -deps ./vault/...)"; \
	if fyne="$$(grep '^fyne\.io/' <<<"$$deps")"; then \
	  echo "check: ./vault/... must not depend on Fyne, but it imports:"; echo "$$fyne"; \
	  exit 1; \
	fi; \
	echo "check: ./vault/... has no fyne.io dependency"
	@# The CI workflows (with shellcheck on their run: steps). actionlint
	@# lives in tools/go.mod, so that its requirements never move the app's.
	go tool -modfile=tools/go.mod actionlint
	@echo "actionlint: ok"

test: deps-test check test-unit fuzz test-keychain package-linux test-window test-wayland test-sync ## Everything: check, race tests, fuzz, keychain tests, the Linux package, window, Wayland and Syncthing tests.

test-unit: deps-test ## go test -race on all packages, with the build tags of make build (and keepassxc-cli for the import tests).
	KEYSHELF_REAL_KEEPASSXC=1 go test -race -count=1 -tags '$(BUILDTAGS)' ./...

fuzz: deps-run ## Run the fuzz targets for FUZZTIME each (default 150000 runs).
	go test -run='^$$' -fuzz='^FuzzParseHeader$$' -fuzztime=$(FUZZTIME) ./vault/format
	go test -run='^$$' -fuzz='^FuzzMask$$' -fuzztime=$(FUZZTIME) ./vault
	go test -run='^$$' -fuzz='^FuzzDocumentRoundTrip$$' -fuzztime=$(FUZZTIME) ./vault
	go test -run='^$$' -fuzz='^FuzzEncodeDecodes$$' -fuzztime=$(FUZZTIME) ./vault
	go test -run='^$$' -fuzz='^FuzzMerge$$' -fuzztime=$(MERGEFUZZTIME) ./vault
	go test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) ./vault/dotenv
	go test -run='^$$' -fuzz='^FuzzKeePassCSV$$' -fuzztime=$(FUZZTIME) ./vault/importers
	go test -run='^$$' -fuzz='^FuzzOnePasswordCSV$$' -fuzztime=$(FUZZTIME) ./vault/importers
	go test -run='^$$' -fuzz='^FuzzEncString$$' -fuzztime=$(FUZZTIME) ./vault/importers

test-keychain: deps-test ## Tests against a real (private, throwaway) Secret Service keyring.
	KEYSHELF_REAL_KEYCHAIN=1 scripts/with-keychain.sh go test -count=1 -run 'RealKeychain' ./...

# The packages (scripts/package.sh, with the fyne packager pinned in
# tools/go.mod): on Linux the .tar.xz for Linux and the Windows .exe
# (cross-compiled with mingw-w64), on a Mac the .app and the .dmg.
# Cold, on 2 cores: about 4.5 min for Linux and 7.5 for Windows.
package-linux: deps-package ## Build only the Linux package (what make test installs and runs; the .exe takes minutes more).
	BUILDTAGS='$(BUILDTAGS)' scripts/package.sh linux

package: deps-package ## Build the installable packages into dist/ (Linux .tar.xz and Windows .exe; on a Mac .app and .dmg).
	@case "$$(uname -s)" in \
	  Linux) \
	    BUILDTAGS='$(BUILDTAGS)' scripts/package.sh linux; \
	    BUILDTAGS='$(BUILDTAGS)' scripts/package.sh windows ;; \
	  Darwin) \
	    BUILDTAGS='$(BUILDTAGS)' scripts/package.sh darwin ;; \
	  *) \
	    echo "make package: runs on Linux (Linux and Windows packages) or macOS; see the README" >&2; exit 1 ;; \
	esac

test-window: deps-test build ## Real-window tests under Xvfb (only if e2e/ exists; the package test needs make package-linux first), and the X11 hotkey grab.
	KEYSHELF_REAL_X11=1 scripts/with-xvfb.sh go test -count=1 -run 'RealX11' ./gui/hotkey/ ./gui/secretclip/
	@if [ -d e2e ]; then \
	  echo "KEYSHELF_BUILD_TAGS='$(BUILDTAGS)' scripts/with-xvfb.sh scripts/with-keychain.sh go test -count=1 -tags window -run 'RealWindow' ./e2e/..."; \
	  KEYSHELF_BUILD_TAGS='$(BUILDTAGS)' LANG=C.UTF-8 scripts/with-xvfb.sh scripts/with-keychain.sh \
	    go test -count=1 -tags window -run 'RealWindow' ./e2e/...; \
	else \
	  echo "no window tests yet"; \
	fi

# The Syncthing tests (e2e/syncthing*_test.go, build tag syncthing): two
# real Syncthing devices share a folder on 127.0.0.1, with keyshelf run on
# each. The test binary and bin/keyshelf are built first, out here (a build
# may need the module proxy); the test binary then runs in a network
# namespace of its own where only loopback is up (unshare --net; a user who
# is not root gets a user namespace too, --map-root-user), so Syncthing can
# reach nothing beyond this machine. With KEYSHELF_REAL_SYNCTHING=1 the
# tests fail, rather than skip, anywhere else. About 15 s.
test-wayland: deps-test ## The window on XWayland in a headless Sway: the key on the Wayland clipboard, marked, and wiped without the focus.
	KEYSHELF_BUILD_TAGS='$(BUILDTAGS)' KEYSHELF_REAL_WAYLAND=1 LANG=C.UTF-8 XWAYLAND=1 scripts/with-sway.sh \
	  go test -count=1 -tags window -run 'RealWayland' ./e2e/

test-sync: export KEYSHELF_REAL_SYNCTHING := 1
test-sync: export KEYSHELF_BINARY := $(CURDIR)/bin/keyshelf
test-sync: deps-test build ## Two real Syncthing devices on loopback in a private network namespace.
	go test -c -tags syncthing -o bin/e2e-syncthing.test ./e2e/
	@command -v ip >/dev/null || { echo "test-sync: ip not found: run scripts/install-deps.sh test (iproute2)" >&2; exit 1; }
	@command -v unshare >/dev/null || { echo "test-sync: unshare not found (util-linux)" >&2; exit 1; }
	@userns=(); \
	if [ "$$(id -u)" -ne 0 ]; then \
	  userns=(--map-root-user); \
	  if ! unshare --map-root-user --net true 2>/dev/null; then \
	    echo "test-sync: cannot make a network namespace as user $$(id -un): run it as root, or allow" \
	         "unprivileged user namespaces (Ubuntu 24.04: sysctl kernel.apparmor_restrict_unprivileged_userns=0)" >&2; \
	    exit 1; \
	  fi; \
	fi; \
	echo "unshare $${userns[*]} --net sh -c 'ip link set lo up && exec bin/e2e-syncthing.test -test.v -test.count=1 -test.run RealSyncthing'"; \
	unshare "$${userns[@]}" --net sh -c 'ip link set lo up && exec bin/e2e-syncthing.test -test.v -test.count=1 -test.run RealSyncthing'

bench: deps-run ## Benchmarks for vault, cmdline and gui (BENCHCOUNT=1).
	go test -run='^$$' -bench=. -benchmem -count=$(BENCHCOUNT) $(BENCHPKGS)

measure: deps-test build ## Startup, memory, idle CPU under Xvfb, and side by side with KeePassXC (docs/benchmarks.md; not in test).
	@scripts/install-deps.sh measure
	scripts/measure-startup.sh 10
	scripts/measure-memory.sh 1 10000
	scripts/measure-cpu.sh 1 10000
	scripts/measure-peer.sh 1 10000

screenshots: deps-test build ## Retake docs/screenshots/*.png from the real window under Xvfb.
	scripts/screenshots.sh

clean: ## Remove bin/, dist/ and failed golden-file output (*/testdata/failed).
	rm -rf bin dist
	find . -path ./.git -prune -o -type d -path '*/testdata/failed' -prune -exec rm -rf {} +
