//go:build !windows && !darwin && !js && !android

package localeenv

import (
	"bytes"
	"log"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// TestFix sets the locale environment, runs fix and asks Fyne's own code
// for the locale: it must log nothing. Restore must bring LANGUAGE back.
func TestFix(t *testing.T) {
	unset := "<unset>"
	for _, c := range []struct {
		name                          string
		lcAll, lcMessages, lang, lngs string // lngs: LANGUAGE
		want                          string // LANGUAGE after fix
	}{
		{name: "LANG=C.UTF-8", lang: "C.UTF-8", lngs: unset, want: "en"},
		{name: "LANG=C.utf8", lang: "C.utf8", lngs: unset, want: "en"},
		{name: "LC_ALL=C.UTF-8 over LANG", lcAll: "C.UTF-8", lang: "de_DE.UTF-8", lngs: unset, want: "en"},
		{name: "LC_MESSAGES=POSIX.UTF-8", lcMessages: "POSIX.UTF-8", lngs: unset, want: "en"},
		{name: "LANGUAGE with C", lang: "C.UTF-8", lngs: "fr:C", want: "fr"},
		{name: "LANG=C", lang: "C", lngs: unset, want: unset},
		{name: "nothing set", lngs: unset, want: unset},
		{name: "LANG=de_DE.UTF-8", lang: "de_DE.UTF-8", lngs: unset, want: unset},
		{name: "LANGUAGE fine", lang: "C.UTF-8", lngs: "fr_FR:de", want: "fr_FR:de"},
	} {
		t.Run(c.name, func(t *testing.T) {
			setenv(t, "LC_ALL", c.lcAll)
			setenv(t, "LC_MESSAGES", c.lcMessages)
			setenv(t, "LANG", c.lang)
			setenv(t, "LANGUAGE", c.lngs)
			if c.lngs == unset {
				os.Unsetenv("LANGUAGE")
			}
			defer Restore()

			changed := fix()
			got, ok := os.LookupEnv("LANGUAGE")
			if !ok {
				got = unset
			}
			if got != c.want || changed != (c.want != c.lngs) {
				t.Fatalf("LANGUAGE %q (changed %v), want %q", got, changed, c.want)
			}
			var logged bytes.Buffer
			log.SetOutput(&logged)
			defer log.SetOutput(os.Stderr)
			askFyne()
			if logged.Len() > 0 {
				t.Fatalf("Fyne logged:\n%s", logged.String())
			}

			Restore()
			got, ok = os.LookupEnv("LANGUAGE")
			if c.lngs == unset && ok || c.lngs != unset && got != c.lngs {
				t.Fatalf("after Restore LANGUAGE is %q (set %v), want %q", got, ok, c.lngs)
			}
		})
	}
}

// TestApplyAfterRestore: keyshelf show restores the environment like every
// command, then opens the window; Apply fixes the locale again.
func TestApplyAfterRestore(t *testing.T) {
	setenv(t, "LC_ALL", "")
	setenv(t, "LC_MESSAGES", "")
	setenv(t, "LANG", "C.UTF-8")
	setenv(t, "LANGUAGE", "")
	os.Unsetenv("LANGUAGE")
	defer Restore()
	fix()
	Restore()
	if _, ok := os.LookupEnv("LANGUAGE"); ok {
		t.Fatal("Restore left LANGUAGE set")
	}
	if !Apply() {
		t.Fatal("Apply changed nothing after Restore")
	}
	if got := os.Getenv("LANGUAGE"); got != "en" {
		t.Fatalf("after Apply LANGUAGE is %q, want en", got)
	}
	Restore()
	if _, ok := os.LookupEnv("LANGUAGE"); ok {
		t.Fatal("Restore after Apply left LANGUAGE set")
	}
}

// TestUnfixedLocaleLogs shows what fix prevents: Fyne logs for C.UTF-8.
func TestUnfixedLocaleLogs(t *testing.T) {
	setenv(t, "LC_ALL", "")
	setenv(t, "LC_MESSAGES", "")
	setenv(t, "LANG", "C.UTF-8")
	setenv(t, "LANGUAGE", "")
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	askFyne()
	if !bytes.Contains(logged.Bytes(), []byte("Error parsing user locale C")) {
		t.Fatalf("Fyne no longer logs for C.UTF-8 (logged %q): is this package still needed?", logged.String())
	}
}

// askFyne makes Fyne read the locales both ways it does: the list its init
// reads (again on each AddTranslations…) and the one SystemLocale reads
// whenever the window asks.
func askFyne() {
	lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale("en"))
	lang.SystemLocale()
}

// setenv sets name for the test ("" leaves it empty, which go-locale takes
// as unset) and restores it afterwards.
func setenv(t *testing.T, name, value string) { t.Helper(); t.Setenv(name, value) }
