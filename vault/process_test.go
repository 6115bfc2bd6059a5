//go:build unix

package vault

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The test binary doubles as the child process of these tests: TestMain runs
// the child's part when KEYSHELF_TEST_CHILD says so.
func TestMain(m *testing.M) {
	switch os.Getenv("KEYSHELF_TEST_CHILD") {
	case "":
		os.Exit(m.Run())
	case "saver":
		os.Exit(childSaver(os.Getenv("KEYSHELF_TEST_VAULT")))
	case "holder":
		os.Exit(childHolder(os.Getenv("KEYSHELF_TEST_VAULT")))
	}
	os.Exit(3)
}

func childOptions() Options { return Options{KDF: testParams} }

// childSaver saves generation after generation until it is killed. Before
// each save it prints the generation it is about to write.
func childSaver(path string) int {
	v, err := Open(path, testPass, childOptions())
	if err != nil || v.ReadOnly() {
		fmt.Fprintln(os.Stderr, "saver: open:", err)
		return 1
	}
	e, ok := v.Find("counter")
	if !ok {
		return 1
	}
	for g := 1; ; g++ {
		fmt.Printf("%d\n", g)
		// The generation is in the secret and decides how long the notes
		// are, so that files of different generations differ in size too.
		_, err := v.Update(e.ID, Draft{Name: "counter", Secret: genSecret(g), Notes: strings.Repeat("n", (g%7)*300)})
		if err != nil {
			fmt.Fprintln(os.Stderr, "saver: save:", err)
			return 1
		}
	}
}

func genSecret(g int) string { return fmt.Sprintf("generation-%08d", g) }

// childHolder opens the vault for writing and keeps it open until its
// standard input closes.
func childHolder(path string) int {
	v, err := Open(path, testPass, childOptions())
	if err != nil {
		fmt.Fprintln(os.Stderr, "holder:", err)
		return 1
	}
	fmt.Println("locked", v.ReadOnly())
	io.Copy(io.Discard, os.Stdin)
	v.Close()
	return 0
}

func startChild(t *testing.T, role, path string) (*exec.Cmd, *bufio.Reader, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KEYSHELF_TEST_CHILD="+role, "KEYSHELF_TEST_VAULT="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewReader(out), stdin
}

// TestKilledDuringSaves kills a saving child with SIGKILL at random points,
// many times: the vault must always open afterwards, consistent, holding the
// generation being written or the one before it.
func TestKilledDuringSaves(t *testing.T) {
	rounds := 60
	if testing.Short() {
		rounds = 10
	}
	opts, _, _ := testOptions()
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	v, err := Create(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(Draft{Name: "counter", Secret: genSecret(0)}); err != nil {
		t.Fatal(err)
	}
	v.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	midSave := 0
	for round := 0; round < rounds; round++ {
		cmd, out, stdin := startChild(t, "saver", path)
		lines := 1 + rng.IntN(25)
		seen := 0
		for i := 0; i < lines; i++ {
			line, err := out.ReadString('\n')
			if err != nil {
				t.Fatalf("round %d: child stopped: %v", round, err)
			}
			seen, _ = strconv.Atoi(strings.TrimSpace(line))
		}
		// A random amount of work before the kill lands it anywhere in a save.
		for spin := rng.IntN(200000); spin > 0; spin-- {
			_ = spin * spin
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		stdin.Close()
		if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".vault.keyshelf.tmp-*")); len(m) > 0 {
			midSave++
		}

		v, err := Open(path, testPass, opts)
		if err != nil {
			t.Fatalf("round %d: vault does not open after the kill: %v", round, err)
		}
		e, ok := v.Find("counter")
		v.Close()
		if !ok {
			t.Fatalf("round %d: entry lost", round)
		}
		g, err := strconv.Atoi(strings.TrimPrefix(e.Secret, "generation-"))
		if err != nil {
			t.Fatalf("round %d: unexpected content", round)
		}
		// The child counts from 1 each round; the file holds a finished
		// generation of this round (or, if none finished, the last round's).
		if g != 0 && len(e.Notes) != (g%7)*300 {
			t.Fatalf("round %d: generation %d with notes of %d bytes: mixed content", round, g, len(e.Notes))
		}
		if g < seen-1 {
			t.Fatalf("round %d: file holds generation %d, but %d had been started", round, g, seen)
		}
	}
	t.Logf("%d of %d kills landed while a temporary file was being written", midSave, rounds)
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".vault.keyshelf.tmp-*"))
	if len(matches) > 0 {
		t.Fatalf("temporary files left after the last open: %v", matches)
	}
}

// TestSecondProcessCannotWrite: while one process holds the vault open, a
// second one opens it read-only and cannot save; once the first exits, it can.
func TestSecondProcessCannotWrite(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "shared", "secret-shared-0001")
	v.Close()

	cmd, out, stdin := startChild(t, "holder", v.Path())
	line, err := out.ReadString('\n')
	if err != nil || line != "locked false\n" {
		t.Fatalf("holder says %q, %v", line, err)
	}
	w, err := Open(v.Path(), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !w.ReadOnly() {
		t.Fatal("second process got write access")
	}
	if _, ok := w.Find("shared"); !ok {
		t.Fatal("read-only vault cannot read")
	}
	if _, err := w.Add(Draft{Name: "x", Secret: "y"}); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "another running copy") {
		t.Fatalf("write while locked: %v", err)
	}
	if _, err := Create(v.Path(), testPass, opts); err == nil {
		t.Fatal("create over a locked vault succeeded")
	}
	w.Close()

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	w, err = Open(v.Path(), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.ReadOnly() {
		t.Fatal("still read-only after the other process exited")
	}
	if _, err := w.Add(Draft{Name: "x", Secret: "y"}); err != nil {
		t.Fatal(err)
	}
}
