package cmdline

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/check"
)

func TestScanCommand(t *testing.T) {
	f := runFixture(t)
	const stray = "sk_live_STRAYabcdefghijklmnopqrstuv"
	repo := filepath.Join(f.dir, "repo")
	os.MkdirAll(filepath.Join(repo, "src"), 0o700)
	os.WriteFile(filepath.Join(repo, "src", "app.py"), []byte("import os\nclient = Client('"+ghKey+"')\n"), 0o600)
	os.WriteFile(filepath.Join(repo, ".env"), []byte("STRIPE_API_KEY="+stray+"\n"), 0o600)
	os.WriteFile(filepath.Join(repo, "logo.png"), []byte("\x89PNG\x00\x00"+oaiKey), 0o600)

	code, out, errs := f.with("", "scan", repo)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	want := filepath.Join(repo, ".env") + ":1: Stripe key " + vault.Mask(stray) + "\n" +
		filepath.Join(repo, "src", "app.py") + `:2: vault key "GitHub" ` + vault.Mask(ghKey) + "\n"
	if out != want {
		t.Errorf("scan printed:\n%s\nwant:\n%s", f.redact(out), f.redact(want))
	}
	if !strings.Contains(errs, "scanned 2 files") || !strings.Contains(errs, "2 finds") || !strings.Contains(errs, "1 skipped (--verbose lists them)") {
		t.Errorf("summary: %s", errs)
	}
	if !strings.Contains(errs, "marked 1 vault key exposed: rotate it") {
		t.Errorf("no word of the exposed mark: %s", errs)
	}
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"attention": "exposed"`) {
		t.Errorf("list --json after the scan:\n%s", f.redact(js))
	}
	code, out, _ = f.with("", "due")
	if code != 1 || !strings.HasPrefix(out, "GitHub: exposed") {
		t.Errorf("due after the scan: exit %d %q", code, out)
	}
	// Rotating the key clears the mark.
	f.mustOK(f.with(ghKey+"X", "rotate", "GitHub"))
	if code, out, _ = f.with("", "due"); code != 0 {
		t.Errorf("due after the rotation: exit %d %q", code, out)
	}
	// By hand, and taken off again.
	if out := f.mustOK(f.with("", "set", "--exposed", "pasted in a chat", "Claude")); !strings.Contains(out, "marked exposed") {
		t.Errorf("set --exposed: %q", out)
	}
	if out := f.mustOK(f.with("", "set", "--exposed", "none", "Claude")); !strings.Contains(out, "no longer marked exposed") {
		t.Errorf("set --exposed none: %q", out)
	}
	f.mustOK(f.with(ghKey, "rotate", "GitHub")) // back, for the finds below
	if _, out, _ = f.with("", "scan", "--verbose", repo); !strings.Contains(out, "logo.png: skipped: binary") {
		t.Errorf("--verbose:\n%s", out)
	}
	code, out, _ = f.with("", "scan", "--json", repo)
	var js struct {
		Finds []scanFind `json:"finds"`
		Files int        `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || code != 1 || len(js.Finds) != 2 || js.Finds[1].Entry != "GitHub" || js.Finds[0].Provider != "stripe" {
		t.Fatalf("--json: exit %d, %v, %+v", code, err, js)
	}

	// Accepted, the finds go quiet, and the ignore file holds no key.
	if code, _, errs = f.with("", "scan", "--accept", repo); code != 0 || !strings.Contains(errs, "accepted 2 finds in "+repo+"/.keyshelfignore") {
		t.Fatalf("--accept: exit %d: %s", code, errs)
	}
	code, out, errs = f.with("", "scan", repo)
	if code != 0 || out != "" || !strings.Contains(errs, "0 finds; 2 accepted") {
		t.Errorf("after --accept: exit %d, %q, %s", code, out, errs)
	}
	ign, _ := os.ReadFile(filepath.Join(repo, ".keyshelfignore"))
	if strings.Contains(string(ign), ghKey) || strings.Contains(string(ign), stray) {
		t.Error("the ignore file holds a key")
	}
	for _, k := range []string{ghKey, stray, oaiKey} {
		if strings.Contains(f.seen.String(), k) {
			t.Error("scan printed a key")
		}
	}

	code, _, errs = f.with("", "scan")
	f.mustFail(2, code, errs, "name the FOLDER")
	code, _, errs = f.with("", "scan", filepath.Join(f.dir, "gone"))
	f.mustFail(1, code, errs, "no such folder")
}

// TestScanCheck asks loopback providers about the keys found: a live
// GitHub token, a Stripe key its server cannot answer for.
func TestScanCheck(t *testing.T) {
	srv, requests := fakeProviders(t)
	f := newFixture(t)
	f.checker = &check.Checker{Client: &http.Client{Timeout: 5 * time.Second},
		Bases: map[string]string{"github": srv.URL, "stripe": srv.URL}}
	f.mustOK(f.with("", "init"))
	repo := filepath.Join(f.dir, "repo")
	os.MkdirAll(repo, 0o700)
	os.WriteFile(filepath.Join(repo, "ci.yml"), []byte("env:\n  GITHUB_TOKEN: "+ghKey+"\n  STRIPE_API_KEY: sk_live_STRAYabcdefghijklmnopqrstuv\n"), 0o600)
	code, out, _ := f.with("", "scan", "--check", repo)
	if code != 1 || !strings.Contains(out, "ci.yml:2: GitHub key ghp_••••••••2345: LIVE (valid): whoever owns it must revoke it") ||
		!strings.Contains(out, "ci.yml:3: Stripe key sk_live_••••••••stuv: could not check") {
		t.Errorf("scan --check: exit %d\n%s", code, f.redact(out))
	}
	if requests.Load() != 2 {
		t.Errorf("%d requests, want 2", requests.Load())
	}
	// --json carries the same answers.
	code, out, _ = f.with("", "scan", "--check", "--json", repo)
	var got struct {
		Finds []struct {
			Line  int `json:"line"`
			Check *struct {
				Live  bool   `json:"live"`
				Words string `json:"words"`
			} `json:"check"`
		} `json:"finds"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 1 || len(got.Finds) != 2 {
		t.Fatalf("scan --check --json: exit %d, %v\n%s", code, err, f.redact(out))
	}
	for _, fd := range got.Finds {
		if fd.Check == nil || fd.Line == 2 && (!fd.Check.Live || !strings.HasPrefix(fd.Check.Words, "LIVE")) || fd.Line == 3 && fd.Check.Live {
			t.Fatalf("line %d: check %+v", fd.Line, fd.Check)
		}
	}
	if requests.Load() != 4 {
		t.Errorf("%d requests after --json, want 4", requests.Load())
	}
}
