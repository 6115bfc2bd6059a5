//go:build window

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRealWindowDropImports drops a .env file on the real window, as a
// file manager does (XDND, e2e/cmd/xdnddrop), presses Space on the
// preview's focused Import button, and reads the vault with the command
// line: the file's key is in under its variable's name, its setting is
// not, and the file is unchanged.
func TestRealWindowDropImports(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	drop := filepath.Join(dir, "xdnddrop")
	build := exec.Command("go", "build", "-o", drop, "./e2e/cmd/xdnddrop")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build xdnddrop: %v\n%s", err, out)
	}
	key := "sk_live_E2EFAKE" + randomText(24)
	f.secrets = append(f.secrets, key)
	// GLFW answers XdndFinished with the URI list's byte count where XDND
	// wants an "accepted" bit, so an even-length list once read as a
	// refusal in xdnddrop. Pick the name that makes it even, every run.
	env := filepath.Join(dir, "project.env")
	if len("file://"+env+"\r\n")%2 != 0 {
		env = filepath.Join(dir, "project1.env")
	}
	content := []byte("# a project\nexport STRIPE_API_KEY='" + key + "'\nPORT=8080\n")
	if err := os.WriteFile(env, content, 0o600); err != nil {
		t.Fatal(err)
	}
	pass := filepath.Join(dir, "pass")
	if err := os.WriteFile(pass, []byte(f.pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	list := func() string {
		cmd := exec.Command(f.exe, "--vault", f.vault, "--passphrase-file", pass, "list")
		cmd.Env = f.env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("keyshelf list: %v", err)
		}
		return string(out)
	}

	f.start()
	f.unlock()
	// The vault opens in the background; a drop before that is told to
	// unlock first, so drop until the import shows in the vault.
	deadline := time.Now().Add(30 * time.Second)
	for try := 1; ; try++ {
		cmd := exec.Command(drop, f.window, env)
		cmd.Env = f.env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdnddrop: %v\n%s", err, out)
		}
		f.xdo(5*time.Second, "key", "space")
		until := time.Now().Add(2 * time.Second)
		for time.Now().Before(until) && !strings.Contains(list(), "STRIPE_API_KEY") {
			time.Sleep(100 * time.Millisecond)
		}
		out := list()
		if strings.Contains(out, "STRIPE_API_KEY") {
			if strings.Contains(out, "PORT") {
				t.Errorf("the setting was imported:\n%s", f.redact(out))
			}
			t.Logf("imported by a drop after %d tr%s", try, map[bool]string{true: "y", false: "ies"}[try == 1])
			break
		}
		if !f.alive() {
			t.Fatalf("the app exited:\n%s", f.redact(f.output.String()))
		}
		if time.Now().After(deadline) {
			t.Fatalf("no import 30 s after dropping %s on the window", env)
		}
		f.xdo(5*time.Second, "key", "Escape")
	}
	if on, _ := os.ReadFile(env); !bytes.Equal(on, content) {
		t.Error("the dropped file was changed")
	}
	if out := f.output.String(); strings.Contains(out, key) {
		t.Error("the app printed the imported key")
	}
}
