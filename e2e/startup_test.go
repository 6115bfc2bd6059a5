//go:build window

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRealWindowStartScansNoSystemFonts starts the window with an empty
// cache folder, as a first start does, and checks that showing the unlock
// screen did not scan the system's fonts. Fyne v2.7.1 looked up a system
// font for the user's language for every text style before the first
// frame, which on a new cache means reading every installed font (tens of
// milliseconds and a few MiB); third_party/fyne does it the first time a
// character is missing from the theme's font (issue #11). The scan leaves
// its index in $XDG_CACHE_HOME (go-text's fontscan), so that file is the
// witness. After an unlock the list's check marks (● ○) are not in the
// theme's font, so the scan may come then; the key still copies.
func TestRealWindowStartScansNoSystemFonts(t *testing.T) {
	f := newFixture(t)
	cache := ""
	for _, kv := range f.env {
		if v, ok := strings.CutPrefix(kv, "XDG_CACHE_HOME="); ok {
			cache = v
		}
	}
	if cache == "" {
		t.Fatal("the fixture sets no XDG_CACHE_HOME")
	}
	f.start()
	// The unlock screen's text is measured and drawn before and just after
	// the window maps; give the first frames time to be painted.
	time.Sleep(time.Second)
	if found, _ := filepath.Glob(filepath.Join(cache, "font_index*")); len(found) > 0 {
		t.Fatalf("the unlock screen scanned the system fonts at start-up (%s written)", filepath.Base(found[0]))
	}
	f.unlock()
	f.copyByTyping()
}
