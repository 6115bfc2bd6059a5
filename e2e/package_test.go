//go:build window

package e2e

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRealWindowPackageInstallsAndRuns takes the Linux archive that `make
// package` left in dist/, unpacks it, installs it with its own Makefile into
// a scratch prefix, and runs the installed binary: it must show its window,
// unlock and copy a key like the one built from source. The desktop entry
// and the icon must be where the desktop looks for them under that prefix,
// and uninstall must take all three away again.
func TestRealWindowPackageInstallsAndRuns(t *testing.T) {
	version := fyneAppVersion(t)
	archive := filepath.Join(repoRoot(), "dist", "keyshelf-"+version+"-linux-"+runtime.GOARCH+".tar.xz")
	if _, err := os.Stat(archive); err != nil {
		t.Skipf("no Linux package at %s: build it with `make package` (make test does)", archive)
	}
	dir := t.TempDir()
	runCmd(t, dir, "tar", "-xJf", archive)
	// One folder at the top, holding the Makefile and usr/.
	tops, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(tops) != 1 || !tops[0].IsDir() {
		t.Fatalf("the archive should hold one folder at the top, it holds %d entries", len(tops))
	}
	unpacked := filepath.Join(dir, tops[0].Name())

	prefix := filepath.Join(dir, "prefix")
	runCmd(t, dir, "make", "-C", unpacked, "install", "PREFIX="+prefix)

	const id = appID // FyneApp.toml's ID names the desktop entry and the icon
	exe := filepath.Join(prefix, "bin", "keyshelf")
	desktopFile := filepath.Join(prefix, "share", "applications", id+".desktop")
	icon := filepath.Join(prefix, "share", "pixmaps", id+".png")

	if st, err := os.Stat(exe); err != nil {
		t.Fatalf("the installed binary: %v", err)
	} else if st.Mode().Perm() != 0o755 {
		t.Errorf("the installed binary has mode %v, want 0755", st.Mode().Perm())
	}
	entry, err := os.ReadFile(desktopFile)
	if err != nil {
		t.Fatalf("the installed desktop entry: %v", err)
	}
	for _, line := range []string{"Type=Application", "Name=Keyshelf", "Exec=keyshelf", "Icon=" + id, "StartupWMClass=Keyshelf"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).Match(entry) {
			t.Errorf("the desktop entry has no line %q:\n%s", line, entry)
		}
	}
	if img, err := os.Open(icon); err != nil {
		t.Errorf("the installed icon: %v", err)
	} else {
		cfg, err := png.DecodeConfig(img)
		img.Close()
		if err != nil {
			t.Errorf("the installed icon is not a PNG: %v", err)
		} else if cfg.Width != cfg.Height || cfg.Width < 256 {
			t.Errorf("the installed icon is %dx%d, want a square of at least 256", cfg.Width, cfg.Height)
		}
	}

	// The version of FyneApp.toml, linked in by scripts/package.sh.
	if out := runCmd(t, dir, exe, "version"); strings.TrimSpace(out) != "keyshelf "+version {
		t.Errorf("keyshelf version printed %q, want %q", strings.TrimSpace(out), "keyshelf "+version)
	}

	f := newFixture(t)
	f.exe = exe
	f.start()
	f.unlock()
	f.copyByTyping()
	f.quitWith(syscall.SIGTERM)
	if code := f.app.ProcessState.ExitCode(); code != 0 {
		t.Errorf("the installed app exited with status %d after SIGTERM", code)
	}

	runCmd(t, dir, "make", "-C", unpacked, "uninstall", "PREFIX="+prefix)
	for _, p := range []string{exe, desktopFile, icon} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("after make uninstall %s is still there (%v)", p, err)
		}
	}

	// The README's install for one user: into ~/.local, the menu entry
	// pointing at the binary there (~/.local/bin is not always on PATH).
	home := filepath.Join(dir, "home")
	runCmd(t, dir, "make", "-C", unpacked, "user-install", "HOME="+home)
	userExe := filepath.Join(home, ".local", "bin", "keyshelf")
	userFiles := []string{userExe,
		filepath.Join(home, ".local", "share", "applications", id+".desktop"),
		filepath.Join(home, ".local", "share", "icons", id+".png")}
	for _, p := range userFiles {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("make user-install: %v", err)
		}
	}
	if entry, err := os.ReadFile(userFiles[1]); err == nil && !bytes.Contains(entry, []byte("\nExec="+userExe+"\n")) {
		t.Errorf("the user's desktop entry does not start %s:\n%s", userExe, entry)
	}
	if out := runCmd(t, dir, userExe, "version"); strings.TrimSpace(out) != "keyshelf "+version {
		t.Errorf("%s version printed %q", userExe, strings.TrimSpace(out))
	}
	runCmd(t, dir, "make", "-C", unpacked, "user-uninstall", "HOME="+home)
	for _, p := range userFiles {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("after make user-uninstall %s is still there (%v)", p, err)
		}
	}
}

// fyneAppVersion is [Details] Version of FyneApp.toml, which names the
// packages.
func fyneAppVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([0-9.]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	return string(m[1])
}

// runCmd runs a command in dir and returns its standard output; it fails the
// test with the command's output if it fails. Only for commands that see no
// secret.
func runCmd(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
