// Package e2e holds Keyshelf's end-to-end tests: the built binary in a real
// window under Xvfb, driven with xdotool, with the real X clipboard read by
// xclip.
//
// The tests carry the build tag "window" and need DISPLAY, xdotool and
// xclip, so a plain `go test ./...` compiles nothing here. Run them with
//
//	make test-window
//
// which starts a private Xvfb server (scripts/with-xvfb.sh) and a private
// Secret Service (scripts/with-keychain.sh) around
// `go test -count=1 -tags window -run RealWindow ./e2e/...`.
package e2e
