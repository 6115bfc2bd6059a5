package cmdline

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"keyshelf/vault"
)

const (
	anthKey = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCD"
	workKey = "sk-proj-WORKabcdefghijklmnopT3BlbkFJqrstuvwxyz012345"
)

// runFixture is a vault with an OpenAI, an Anthropic and a GitHub key.
func runFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(oaiKey, "add", "--provider", "openai", "OpenAI"))
	f.mustOK(f.with(anthKey, "add", "--provider", "anthropic", "Claude"))
	f.mustOK(f.with(ghKey, "add", "--provider", "github", "GitHub"))
	return f
}

// child makes keyshelf run start this test binary in mode (see testChild).
func child(t *testing.T, mode string) string {
	t.Setenv("KEYSHELF_TEST_CHILD", mode)
	return os.Args[0]
}

func TestRunPutsKeysInTheEnvironment(t *testing.T) {
	f := runFixture(t)
	exe := child(t, "env OPENAI_API_KEY ANTHROPIC_API_KEY GITHUB_TOKEN HOME")
	t.Setenv("OPENAI_API_KEY", "from-the-parent")
	out := f.mustOK(f.with("", "run", "--", exe))
	want := "OPENAI_API_KEY=" + oaiKey + "\nANTHROPIC_API_KEY=" + anthKey + "\nGITHUB_TOKEN=" + ghKey + "\nHOME=" + os.Getenv("HOME") + "\n"
	if out != want {
		t.Error("the program's environment is not the parent's with every key under its variable")
	}
	out = f.mustOK(f.with("", "run", "--only", "Claude", "--only", "GITHUB_TOKEN", "--", exe))
	want = "OPENAI_API_KEY=from-the-parent\nANTHROPIC_API_KEY=" + anthKey + "\nGITHUB_TOKEN=" + ghKey + "\nHOME=" + os.Getenv("HOME") + "\n"
	if out != want {
		t.Error("--only put in other keys, or not the ones named")
	}
	// Each key's access log notes the run.
	f.mustOK(f.with("", "set", "--env-name", "", "Claude"))
	js := f.mustOK(f.with("", "list", "--json"))
	if !strings.Contains(js, `"env_name": "ANTHROPIC_API_KEY"`) {
		t.Errorf("list --json:\n%s", js)
	}
	e := f.entry("GitHub")
	if len(e.Log) == 0 {
		t.Fatal("GitHub's access log is empty")
	}
	last := e.Log[len(e.Log)-1]
	if last.Action != vault.ActionExported || !strings.Contains(last.Detail, "(run)") {
		t.Errorf("GitHub's last log event: %+v", last)
	}
}

func TestRunChoosingAmongKeys(t *testing.T) {
	f := runFixture(t)
	exe := child(t, "env OPENAI_API_KEY")
	f.mustOK(f.with(workKey, "add", "--provider", "openai", "Work"))
	code, _, errs := f.with("", "run", "--", exe)
	f.mustFail(1, code, errs, "2 keys go in OPENAI_API_KEY (OpenAI, Work); choose one with --only")
	if _, _, errs := f.with("", "list"); !strings.Contains(errs, "note: 2 keys go in OPENAI_API_KEY (OpenAI, Work)") {
		t.Errorf("list does not report the shared variable: %q", errs)
	}
	code, _, errs = f.with("", "run", "--only", "OPENAI_API_KEY", "--", exe)
	f.mustFail(1, code, errs, "2 keys go in OPENAI_API_KEY (OpenAI, Work); name the key")
	if out := f.mustOK(f.with("", "run", "--only", "work", "--", exe)); out != "OPENAI_API_KEY="+workKey+"\n" {
		t.Error("--only work did not put in the Work key")
	}
	code, _, errs = f.with("", "run", "--only", "OpenAI", "--only", "Work", "--", exe)
	f.mustFail(1, code, errs, `the keys "OpenAI" and "Work" both go in OPENAI_API_KEY`)
	code, _, errs = f.with("", "run", "--only", "nothing", "--", exe)
	f.mustFail(1, code, errs, `no key is named "nothing" or goes in it`)
	// A key of its own variable no longer clashes.
	f.mustOK(f.with("", "set", "--env-name", "WORK_OPENAI_KEY", "Work"))
	if out := f.mustOK(f.with("", "run", "--", exe)); out != "OPENAI_API_KEY="+oaiKey+"\n" {
		t.Error("after the rename the OpenAI key is not in OPENAI_API_KEY")
	}
	f.mustOK(f.with("custom-secret-0123456789", "add", "--provider", "custom", "Loose"))
	code, _, errs = f.with("", "run", "--only", "Loose", "--", exe)
	f.mustFail(1, code, errs, `the key "Loose" has no environment variable (give it one with 'keyshelf set --env-name VAR Loose')`)
	code, _, errs = f.with("", "run")
	f.mustFail(2, code, errs, "missing COMMAND")
}

func TestRunPassesOnTheExitStatus(t *testing.T) {
	f := runFixture(t)
	code, _, _ := f.with("", "run", "--", child(t, "exit 3"))
	if code != 3 {
		t.Errorf("exit %d, want the program's 3", code)
	}
	if runtime.GOOS != "windows" {
		code, _, _ = f.with("", "run", "--", child(t, "kill"))
		if code != 128+int(syscall.SIGKILL) {
			t.Errorf("a program killed by SIGKILL: exit %d, want %d", code, 128+int(syscall.SIGKILL))
		}
	}
	code, _, errs := f.with("", "run", "--", filepath.Join(t.TempDir(), "no-such-program"))
	if code != 127 || !strings.Contains(errs, "cannot run") {
		t.Errorf("a missing program: exit %d, %q", code, errs)
	}
}

// TestRunRedactsSplitWrites: with --redact a key written a byte at a time,
// twice in a row, comes out masked on stdout and stderr.
func TestRunRedactsSplitWrites(t *testing.T) {
	f := runFixture(t)
	exe := child(t, "split OPENAI_API_KEY")
	code, out, errs := f.with("", "run", "--only", "OpenAI", "--redact", "--", exe)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	m := vault.Mask(oaiKey)
	want := "before " + m + " middle " + m + m + " after\n"
	if out != want || errs != want {
		t.Errorf("redacted output:\n%q\n%q\nwant %q", f.redact(out), f.redact(errs), want)
	}
	// Without --redact the program's output is its own.
	_, out, _ = f.with("", "run", "--only", "OpenAI", "--", exe)
	if !strings.Contains(out, oaiKey) {
		t.Error("without --redact the output was changed")
	}
}

// TestRunKeepsKeysOutOfArguments reads every process's arguments
// (/proc/*/cmdline) from inside the program that keyshelf run started.
func TestRunKeepsKeysOutOfArguments(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc process table")
	}
	f := runFixture(t)
	out := f.mustOK(f.with("", "run", "--only", "GitHub", "--", child(t, "argv GITHUB_TOKEN")))
	if !strings.HasPrefix(out, "clean (") {
		t.Errorf("the program says: %s", strings.ReplaceAll(out, ghKey, "<key>"))
	}
}

// TestRunForwardsSignals runs keyshelf run as a process of its own and
// sends SIGTERM, then SIGINT, to it alone (as kill does): the program gets
// each and its status comes back.
func TestRunForwardsSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no signals to send")
	}
	f := runFixture(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "--vault", f.vault, "--passphrase-file", f.pfile, "run", "--", os.Args[0])
		cmd.Env = append(os.Environ(), "KEYSHELF_CMDLINE_MAIN=1", "KEYSHELF_TEST_CHILD=signal")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		rd := bufio.NewReader(stdout)
		// "ready" comes once the program catches signals, and keyshelf
		// catches them before it starts the program.
		if line, err := rd.ReadString('\n'); line != "ready\n" {
			cmd.Process.Kill()
			t.Fatalf("the program said %q (%v); stderr %s", line, err, errb.String())
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		type end struct {
			rest []byte
			err  error
		}
		done := make(chan end, 1)
		go func() {
			rest, _ := io.ReadAll(rd)
			done <- end{rest, cmd.Wait()}
		}()
		var rest []byte
		var werr error
		select {
		case e := <-done:
			rest, werr = e.rest, e.err
		case <-time.After(20 * time.Second): // a guard against hanging, not a measure
			exec.Command("pkill", "-KILL", "-P", strconv.Itoa(cmd.Process.Pid)).Run() // the program
			cmd.Process.Kill()
			t.Fatalf("keyshelf run did not end after %v: the program never got it", sig)
		}
		if want := "got " + sig.String() + "\n"; string(rest) != want {
			t.Errorf("after %v the program said %q, want %q", sig, rest, want)
		}
		var ee *exec.ExitError
		if !errors.As(werr, &ee) || ee.ExitCode() != 7 {
			t.Errorf("after %v keyshelf exited with %v, want the program's 7 (stderr %s)", sig, werr, errb.String())
		}
	}
}
