package gui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault/check"
)

// fakeGitHub answers GET /user like GitHub: status set by the test, the
// scopes in a header. It counts the requests and whether each carried the
// right token.
type fakeGitHub struct {
	mu       sync.Mutex
	status   int
	requests atomic.Int32
	badAuth  atomic.Int32
}

func (f *fakeGitHub) setStatus(s int) { f.mu.Lock(); f.status = s; f.mu.Unlock() }

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if r.URL.Path != "/user" || !strings.HasPrefix(r.Header.Get("Authorization"), "token ghp_") {
		f.badAuth.Add(1)
	}
	f.mu.Lock()
	status := f.status
	f.mu.Unlock()
	w.Header().Set("X-OAuth-Scopes", "repo, read:org")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	switch status {
	case 200:
		w.Write([]byte(`{"login":"octo-test"}`))
	case 401:
		w.Write([]byte(`{"message":"Bad credentials"}`))
	default:
		w.Write([]byte(`{"message":"API rate limit exceeded"}`))
	}
}

// withGitHub points the harness's checker at a fake GitHub.
func withGitHub(t *testing.T, h *harness) *fakeGitHub {
	f := &fakeGitHub{status: 200}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	h.u.checker = &check.Checker{Client: srv.Client(), Now: h.clock.Now, Bases: map[string]string{"github": srv.URL}}
	return f
}

// rowState is the check column of the row on screen that shows name.
func rowState(t *testing.T, h *harness, name string) *widget.Label {
	t.Helper()
	return visibleRow(t, h, name).state
}

func TestTestRecordsOutcomeInTheList(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey, "OpenAI prod", openaiKey)
	f := withGitHub(t, h)
	h.app.Preferences().SetInt(prefAutoLockMins, 0) // the clock jumps days ahead
	h.unlock()
	if s := rowState(t, h, "GitHub deploy"); s.Text != "○ unchecked" || s.Importance != widget.LowImportance {
		t.Fatalf("before any test: %q", s.Text)
	}
	h.typeFocused("git")
	h.shortcut(testShortcut)
	e, _ := h.u.v.Find("GitHub deploy")
	if e.LastCheck == nil || e.LastCheck.Outcome != check.Valid || e.LastCheck.Scopes != "repo, read:org" {
		t.Fatalf("not recorded: %+v", e.LastCheck)
	}
	if !strings.Contains(h.u.main.status.Text, "GitHub deploy: valid") || !strings.Contains(h.u.main.status.Text, "repo") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
	h.clock.Advance(3 * 24 * time.Hour)
	if s := rowState(t, h, "GitHub deploy"); s.Text != "● valid · 3 d" || s.Importance != widget.SuccessImportance {
		t.Fatalf("row says %q (importance %v)", s.Text, s.Importance)
	}

	// Rate limited is amber and never "invalid"; a 401 is invalid.
	f.setStatus(429)
	h.u.main.testEntry(e.ID)
	if s := rowState(t, h, "GitHub deploy"); !strings.HasPrefix(s.Text, "● rate limited") || s.Importance != widget.WarningImportance {
		t.Fatalf("429: row says %q", s.Text)
	}
	f.setStatus(401)
	h.u.main.testEntry(e.ID)
	if s := rowState(t, h, "GitHub deploy"); !strings.HasPrefix(s.Text, "● invalid") || s.Importance != widget.DangerImportance {
		t.Fatalf("401: row says %q", s.Text)
	}
	if f.badAuth.Load() != 0 {
		t.Fatal("a request went out without the key in GitHub's header")
	}
	if strings.Contains(h.markup(), githubKey) || strings.Contains(h.u.main.status.Text, githubKey) {
		t.Fatal("the key is on screen")
	}

	// The result survives a lock.
	h.shortcut(lockShortcut)
	h.unlock()
	if e, _ := h.u.v.Find("GitHub deploy"); e.LastCheck == nil || e.LastCheck.Outcome != check.Invalid {
		t.Fatal("the last check was not saved")
	}
}

func TestTestAllRecordsEveryKey(t *testing.T) {
	h := newHarness(t, "GitHub a", githubKey, "GitHub b", "ghp_abcdefghij0123456789ABCDEFGHIJabcdef", "GitHub c", "ghp_zyxwvutsrq0123456789ABCDEFGHIJabcdef")
	f := withGitHub(t, h)
	h.unlock()
	h.u.main.testAll()
	if f.requests.Load() != 3 {
		t.Fatalf("%d requests for 3 keys", f.requests.Load())
	}
	for _, e := range h.u.v.List() {
		if e.LastCheck == nil || e.LastCheck.Outcome != check.Valid {
			t.Fatalf("%s not recorded", e.Name)
		}
	}
	if got := h.u.main.status.Text; got != "Tested 3 keys: 3 valid" {
		t.Fatalf("status %q", got)
	}
	if h.u.modal || len(h.u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("the progress dialog stayed open")
	}
}

func TestEditorTestsTheKeyAsTyped(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	f := withGitHub(t, h)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	if !ed.test.Disabled() {
		t.Fatal("Test enabled without a key")
	}
	test.Type(ed.name, "GitHub new")
	ed.key.SetText(githubKey)
	h.tap("Test")
	if !strings.Contains(ed.result.Text, "valid") || ed.result.Importance != widget.SuccessImportance || f.requests.Load() != 1 {
		t.Fatalf("test result %q", ed.result.Text)
	}
	if _, ok := h.u.v.Find("GitHub new"); ok {
		t.Fatal("Test saved the key")
	}
}

func TestAmbiguousShapeMakesTheUserPick(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "Which one")
	ed.key.SetText("abcdefghijklmnopqrstuvwxyz012345") // 32 letters and digits: Mistral's shape, not only Mistral's
	if !strings.Contains(ed.problem.Text, "could be from Mistral") || !ed.save.Disabled() {
		t.Fatalf("ambiguous key accepted: %q", ed.problem.Text)
	}
	ed.provider.SetSelected("Mistral")
	h.tap("Save")
	if e, ok := h.u.v.Find("Which one"); !ok || e.Provider != "mistral" {
		t.Fatal("the picked provider was not saved")
	}
}

func TestAddressRulesAndEditKeepsThem(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.typeFocused("openai")
	h.shortcut(editShortcut)
	ed := h.u.editor
	ed.baseURL.SetText("http://gateway.example.com/v1")
	if !strings.Contains(ed.problem.Text, "https") || !ed.save.Disabled() {
		t.Fatalf("plain http to another host accepted: %q", ed.problem.Text)
	}
	ed.baseURL.SetText("http://127.0.0.1:8080/v1")
	if ed.problem.Text != "" {
		t.Fatalf("loopback http refused: %q", ed.problem.Text)
	}
	h.tap("Save")
	e, _ := h.u.v.Find("OpenAI prod")
	if e.BaseURL != "http://127.0.0.1:8080/v1" {
		t.Fatalf("base URL %q", e.BaseURL)
	}
	// Editing something else keeps the address.
	h.shortcut(editShortcut)
	test.Type(h.u.editor.notes, "team A")
	h.tap("Save")
	if e, _ := h.u.v.Find("OpenAI prod"); e.BaseURL != "http://127.0.0.1:8080/v1" || e.Notes != "team A" {
		t.Fatalf("after a second edit: %q %q", e.BaseURL, e.Notes)
	}
}

func TestCustomProviderCheckFields(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	if ed.customBox.Visible() {
		t.Fatal("custom check fields shown for a detected provider")
	}
	test.Type(ed.name, "Internal")
	ed.key.SetText("internal-key-0123456789")
	ed.provider.SetSelected(providerCustom)
	if !ed.customBox.Visible() {
		t.Fatal("custom check fields hidden for Custom")
	}
	ed.customURL.SetText("https://api.internal.example/v1/me")
	ed.customHeader.SetText("X-Api-Key")
	ed.customValue.SetText("no placeholder")
	if !strings.Contains(ed.problem.Text, "{key}") {
		t.Fatalf("value without {key} accepted: %q", ed.problem.Text)
	}
	ed.customValue.SetText("{key}")
	h.tap("Save")
	e, ok := h.u.v.Find("Internal")
	if !ok || e.Custom == nil || e.Custom.Header != "X-Api-Key" || e.Custom.ValidStatus != 200 {
		t.Fatalf("custom check not saved: %+v", e.Custom)
	}
}

// TestCouldNotCheckOneWord: a check with no answer reads "could not check"
// in the row, in full at the default window size, as in the status bar.
func TestCouldNotCheckOneWord(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	f := withGitHub(t, h)
	f.setStatus(503)
	h.unlock()
	e, _ := h.u.v.Find("GitHub deploy")
	h.u.main.testEntry(e.ID)
	if e, _ := h.u.v.Find("GitHub deploy"); e.LastCheck == nil || e.LastCheck.Outcome != check.Unknown {
		t.Fatalf("a 503 recorded %+v", e.LastCheck)
	}
	if !strings.Contains(h.u.main.status.Text, "could not check") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
	s := rowState(t, h, "GitHub deploy")
	if !strings.HasPrefix(s.Text, "● could not check") {
		t.Fatalf("row says %q", s.Text)
	}
	rt := test.WidgetRenderer(s).Objects()[0].(*widget.RichText)
	var shown strings.Builder
	for _, o := range test.WidgetRenderer(rt).Objects() {
		if txt, ok := o.(*canvas.Text); ok && txt.Visible() {
			shown.WriteString(txt.Text)
		}
	}
	if !strings.HasPrefix(shown.String(), "● could not check") {
		t.Fatalf("the column shows %q of %q", shown.String(), s.Text)
	}
	textFits(t, s)
}
