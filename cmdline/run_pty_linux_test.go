package cmdline

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: its master and its slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// TestRunCtrlCAtATerminal runs keyshelf run on a real terminal and types
// Ctrl+C: the program gets one SIGINT, from the terminal, not a second one
// passed on by keyshelf, and keyshelf exits with the program's status.
func TestRunCtrlCAtATerminal(t *testing.T) {
	f := runFixture(t)
	master, slave := openPTY(t)
	cmd := exec.Command(os.Args[0], "--vault", f.vault, "--passphrase-file", f.pfile, "run", "--only", "OpenAI", "--", os.Args[0])
	cmd.Env = append(os.Environ(), "KEYSHELF_CMDLINE_MAIN=1", "KEYSHELF_TEST_CHILD=sigcount")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	out := make(chan []byte, 64)
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				out <- bytes.Clone(buf[:n])
			}
			if err != nil {
				close(out)
				return
			}
		}
	}()
	var seen bytes.Buffer
	waitFor := func(s string) {
		t.Helper()
		guard := time.After(20 * time.Second) // against hanging, not a measure
		for !strings.Contains(seen.String(), s) {
			select {
			case b, ok := <-out:
				if !ok {
					t.Fatalf("the terminal closed before %q: %q", s, seen.String())
				}
				seen.Write(b)
			case <-guard:
				cmd.Process.Kill()
				t.Fatalf("no %q on the terminal: %q", s, seen.String())
			}
		}
	}
	waitFor("ready")
	if _, err := master.Write([]byte{0x03}); err != nil { // Ctrl+C
		t.Fatal(err)
	}
	waitFor("got ")
	waitFor("\n")
	err := cmd.Wait()
	if !strings.Contains(seen.String(), "got 1") {
		t.Errorf("the program's count of SIGINTs: %q, want one", seen.String())
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 5 {
		t.Errorf("keyshelf exited with %v, want the program's 5", err)
	}
}
