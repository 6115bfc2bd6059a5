// Package localeenv keeps Fyne from logging "Error parsing user locale C"
// when the locale is C.UTF-8 (common in terminals, containers and CI).
//
// Fyne's lang package reads the user's locales through
// github.com/jeandeaual/go-locale (its locale_unix.go): the first set of
// LC_ALL, LC_MESSAGES and LANG, unless that is exactly "C" or "POSIX" (then
// nothing), else LANGUAGE when it is set. go-locale cuts "C.UTF-8" to the
// language "C", which is no BCP 47 tag, and Fyne logs three lines for it
// (fyne.io/fyne/v2/lang, locale.go, closestSupportedLocale) from the
// package's init, before main runs, and on every AddTranslations call. The
// window asks again while it runs (lang.SystemLocale: the GLFW device,
// fonts, date formats), which skips one-letter answers such as "C" but logs
// for others, such as "POSIX" from POSIX.UTF-8. A plain "C", or no locale
// at all, reads as nothing and logs nothing.
//
// This package's init, which runs before Fyne's (it imports nothing that
// Fyne's lang package does not, and package main imports it), looks at what
// go-locale will report; if any of it is not a tag Fyne can parse, it sets
// LANGUAGE to the tags that do parse, or to "en" (what Fyne falls back to
// anyway). LANGUAGE is the one variable that changes only which message
// catalogue GNU gettext picks, not the character set or formats, so the
// window's text input and child processes keep the user's LC_* and LANG.
//
// Restore puts LANGUAGE back as it was: the command line calls it before it
// runs, so that programs it starts see the user's own environment; Apply
// makes the change again when a command opens the window after all. The
// window keeps the change (Fyne reads the locale again while it runs); a
// program the window starts (a browser for a link) sees LANGUAGE=en, which
// under a C locale changes nothing.
//
// On Windows, macOS and other systems go-locale asks the system, not the
// environment, and this package does nothing.
package localeenv

import (
	"os"
	"strings"
	"sync"

	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// fallback is what Fyne uses when no locale parses.
const fallback = "en"

var (
	mu      sync.Mutex
	changed bool   // LANGUAGE was changed by fix
	had     bool   // LANGUAGE was set before
	old     string // and held this
)

func init() { fix() }

// fix sets LANGUAGE so that every locale go-locale reports parses, and
// reports whether it changed anything.
func fix() bool {
	if !readsEnvironment {
		return false
	}
	mu.Lock()
	defer mu.Unlock()
	locs, err := locale.GetLocales()
	if err != nil || len(locs) == 0 {
		return false
	}
	good := parseable(locs)
	if len(good) == len(locs) {
		return false
	}
	if len(good) == 0 {
		good = []string{fallback}
	}
	prev, was := os.LookupEnv("LANGUAGE")
	if os.Setenv("LANGUAGE", strings.Join(good, ":")) != nil {
		return false
	}
	if after, err := locale.GetLocales(); err != nil || len(parseable(after)) != len(after) {
		// go-locale read something else than expected: leave it alone.
		setBack(prev, was)
		return false
	}
	if !changed {
		changed, had, old = true, was, prev
	}
	return true
}

// Restore undoes what this package's init changed, if anything. Call it
// before starting other programs that should see the user's environment.
func Restore() {
	mu.Lock()
	defer mu.Unlock()
	if changed {
		setBack(old, had)
		changed, had, old = false, false, ""
	}
}

// Apply makes the change again after Restore, for a command that goes on
// to open the window (keyshelf show when no copy runs), and reports
// whether it changed anything.
func Apply() bool { return fix() }

func setBack(value string, was bool) {
	if was {
		os.Setenv("LANGUAGE", value)
	} else {
		os.Unsetenv("LANGUAGE")
	}
}

// parseable is the locales that Fyne's language.Parse accepts.
func parseable(locs []string) []string {
	var out []string
	for _, l := range locs {
		if _, err := language.Parse(l); err == nil {
			out = append(out, l)
		}
	}
	return out
}
