package cmdline

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets tests start this test binary as a real process:
//
//   - KEYSHELF_CMDLINE_MAIN=1: as the keyshelf command line itself (git's
//     credential helper in TestGitCredentialRealGit, keyshelf run in the
//     run tests), without building the keyshelf binary;
//   - KEYSHELF_TEST_CHILD=MODE: as the program keyshelf run starts (see
//     testChild).
func TestMain(m *testing.M) {
	if os.Getenv("KEYSHELF_CMDLINE_MAIN") == "1" {
		// The programs it runs are children, not the command line again.
		os.Unsetenv("KEYSHELF_CMDLINE_MAIN")
		os.Exit(Run(os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Version: "test"}))
	}
	if mode := os.Getenv("KEYSHELF_TEST_CHILD"); mode != "" {
		os.Exit(testChild(mode))
	}
	os.Exit(m.Run())
}

// testChild is a program for keyshelf run to start. MODE is one of:
//
//	env NAME...   print NAME=value for each (value "-" when unset)
//	exit N        exit with status N
//	kill          end itself with SIGKILL
//	signal        say "ready", then wait for SIGINT or SIGTERM, name it, exit 7
//	sigcount      say "ready", count the SIGINTs that come within a second of the first, exit 5
//	split NAME    write text around NAME's value to stdout and stderr, a byte a write
//	argv NAME     print "clean", or where NAME's value is in a process's arguments
func testChild(mode string) int {
	args := strings.Fields(mode)
	switch args[0] {
	case "env":
		for _, n := range args[1:] {
			v, ok := os.LookupEnv(n)
			if !ok {
				v = "-"
			}
			fmt.Printf("%s=%s\n", n, v)
		}
	case "exit":
		n, _ := strconv.Atoi(args[1])
		return n
	case "kill":
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			_ = p.Kill()
		}
		select {}
	case "signal":
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		fmt.Println("ready")
		s := <-ch
		fmt.Println("got", s)
		return 7
	case "sigcount":
		// For the terminal test: count SIGINTs; after the first, allow a
		// second one a moment to arrive (it must not), then report.
		ch := make(chan os.Signal, 4)
		signal.Notify(ch, syscall.SIGINT)
		fmt.Println("ready")
		<-ch
		n := 1
		grace := time.After(time.Second)
	count:
		for {
			select {
			case <-ch:
				n++
			case <-grace:
				break count
			}
		}
		fmt.Printf("got %d\n", n)
		return 5
	case "split":
		key := os.Getenv(args[1])
		for _, w := range []*os.File{os.Stdout, os.Stderr} {
			for _, b := range []byte("before " + key + " middle " + key + key + " after\n") {
				if _, err := w.Write([]byte{b}); err != nil {
					return 1
				}
			}
		}
	case "argv":
		key := os.Getenv(args[1])
		if key == "" {
			fmt.Println("no key in the environment")
			return 1
		}
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		if len(procs) == 0 {
			fmt.Println("no process table")
			return 1
		}
		found := false
		for _, p := range procs {
			b, err := os.ReadFile(p)
			if err == nil && strings.Contains(string(b), key) {
				fmt.Println("in the arguments of", filepath.Base(filepath.Dir(p)))
				found = true
			}
		}
		if !found {
			fmt.Printf("clean (%d processes)\n", len(procs))
		}
	default:
		return 99
	}
	return 0
}
