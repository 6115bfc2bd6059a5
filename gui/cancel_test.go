package gui

import (
	"context"
	"errors"
	"io"

	"fyne.io/fyne/v2/widget"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"keyshelf/vault/check"
)

// blockingGitHub is a transport that holds every check until the test
// releases it, then answers as GitHub does for a good key, or, with
// honourCancel, fails a request cancelled meanwhile. It says when a request
// arrives, and keeps the request's context. (It waits for the release even
// when cancelled: on the test driver fyne.Do runs the result on the
// check's goroutine, which must not run while the test drives the window.)
type blockingGitHub struct {
	honourCancel bool
	arrived      chan struct{}
	release      chan struct{}
	once         sync.Once
	ctx          context.Context // the last request's, set before arrived
}

func (b *blockingGitHub) RoundTrip(r *http.Request) (*http.Response, error) {
	b.ctx = r.Context()
	b.arrived <- struct{}{}
	<-b.release
	if err := r.Context().Err(); err != nil && b.honourCancel {
		return nil, err
	}
	h := http.Header{}
	h.Set("X-OAuth-Scopes", "repo")
	h.Set("Content-Type", "application/json")
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(`{"login":"octo-test"}`)), Request: r}, nil
}

// withBlockingGitHub points the checker at a blocking GitHub, and runs the
// harness's background work on goroutines whose end the test can wait for.
func withBlockingGitHub(t *testing.T, h *harness, honourCancel bool) (*blockingGitHub, func()) {
	b := &blockingGitHub{honourCancel: honourCancel, arrived: make(chan struct{}, 1), release: make(chan struct{})}
	t.Cleanup(b.free)
	// A day's timeout: only the dialog may end the request.
	client := &http.Client{Transport: b, Timeout: 24 * time.Hour}
	h.u.checker = &check.Checker{Client: client, Now: h.clock.Now, Bases: map[string]string{"github": "http://127.0.0.1:9"}}
	var wg sync.WaitGroup
	h.u.cfg.Go = func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	return b, wg.Wait
}

// free lets every held request answer.
func (b *blockingGitHub) free() { b.once.Do(func() { close(b.release) }) }

// abandoned fails unless the held request was cancelled: closing the
// dialog cancels its context at once, on the UI goroutine.
func (b *blockingGitHub) abandoned(t *testing.T) {
	t.Helper()
	if !errors.Is(b.ctx.Err(), context.Canceled) {
		t.Fatalf("the check's request goes on after its dialog closed (%v)", b.ctx.Err())
	}
}

func TestEditorTestIsCancelledWithTheDialog(t *testing.T) {
	for _, edit := range []bool{false, true} {
		name := map[bool]string{false: "add", true: "edit"}[edit]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, "GitHub deploy", githubKey)
			h.unlock()
			b, wait := withBlockingGitHub(t, h, true)
			if edit {
				h.typeFocused("git")
				h.shortcut(editShortcut)
			} else {
				h.shortcut(newShortcut)
				h.u.editor.name.SetText("GitHub new")
				h.u.editor.key.SetText("ghp_abcdefghij0123456789ABCDEFGHIJabcdef")
			}
			ed := h.u.editor
			h.tap("Test")
			<-b.arrived
			h.tap("Cancel")
			b.abandoned(t)
			b.free()
			wait()
			if ed.result.Text != "Testing…" {
				t.Fatalf("a late result reached the closed dialog: %q", ed.result.Text)
			}
			if e, ok := h.u.v.Find("GitHub deploy"); !ok || e.LastCheck != nil {
				t.Fatal("a cancelled test was recorded")
			}
			if _, ok := h.u.v.Find("GitHub new"); ok {
				t.Fatal("the cancelled draft was saved")
			}
			if len(h.u.main.cancels) != 0 {
				t.Fatal("the cancelled check is still tracked")
			}
		})
	}
}

func TestRotateTestIsCancelledWithTheDialog(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	b, wait := withBlockingGitHub(t, h, true)
	e, _ := h.u.v.Find("GitHub deploy")
	h.u.main.showRotate(e)
	r := h.u.dlg
	h.u.win.Canvas().Focused().(interface{ SetText(string) }).SetText("ghp_abcdefghij0123456789ABCDEFGHIJabcdef")
	h.tap("Test")
	<-b.arrived
	h.tap("Cancel")
	if h.u.dlg == r {
		t.Fatal("the dialog did not close")
	}
	b.abandoned(t)
	b.free()
	wait()
	if e, _ := h.u.v.Find("GitHub deploy"); e.Secret != githubKey || e.LastCheck != nil {
		t.Fatal("the cancelled rotate changed or recorded something")
	}
}

// A result that arrives after the dialog closed, from a check that did not
// notice the cancel, touches nothing.
func TestRotateLateResultIsDropped(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	b, wait := withBlockingGitHub(t, h, false)
	e, _ := h.u.v.Find("GitHub deploy")
	h.u.main.showRotate(e)
	h.u.win.Canvas().Focused().(interface{ SetText(string) }).SetText("ghp_abcdefghij0123456789ABCDEFGHIJabcdef")
	test := h.findButton("Test")
	h.tap("Test")
	<-b.arrived
	result := h.findLabel("Testing…")
	h.tap("Cancel")
	b.free()
	wait()
	if result.Text != "Testing…" || !test.Disabled() {
		t.Fatalf("the late result reached the closed dialog: %q", result.Text)
	}
	if e, _ := h.u.v.Find("GitHub deploy"); e.LastCheck != nil {
		t.Fatal("the late result was recorded")
	}
}

// findLabel returns the visible label in the newest dialog that says text.
func (h *harness) findLabel(text string) *widget.Label {
	h.t.Helper()
	ov := h.u.win.Canvas().Overlays().List()
	if len(ov) == 0 {
		h.t.Fatal("no dialog")
	}
	found, _ := findVisible(ov[len(ov)-1], func(l *widget.Label) bool { return l.Text == text })
	if found == nil {
		h.t.Fatalf("no label %q in the dialog", text)
	}
	return found
}
