package vault

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestZxcvbnInitIsCheap guards third_party/zxcvbn's patch: linking the
// strength estimator must not build its dictionaries at package init,
// which cost every start of Keyshelf about 10 MB and 10-30 ms. It reads
// the bytes each package's init allocated from the runtime's inittrace of
// this test binary; no timing is involved.
func TestZxcvbnInitIsCheap(t *testing.T) {
	if os.Getenv("KEYSHELF_INITTRACE_CHILD") == "1" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestZxcvbnInitIsCheap$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "KEYSHELF_INITTRACE_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running the test binary: %v", err)
	}
	seen := false
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init github.com/trustelem/zxcvbn/matching @4.3 ms, 0.13 ms clock, 31376 bytes, 449 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/trustelem/zxcvbn/matching") {
			continue
		}
		seen = true
		n, err := strconv.Atoi(f[7])
		if err != nil || f[8] != "bytes," {
			t.Fatalf("unexpected inittrace line %q", sc.Text())
		}
		if n > 1<<20 {
			t.Errorf("zxcvbn/matching allocates %d bytes at init; its dictionaries must be built on first use", n)
		}
	}
	if !seen {
		t.Fatalf("no inittrace line for zxcvbn/matching in:\n%s", stderr.String())
	}
	// First use still works: the dictionaries are there when asked for.
	if got := PassphraseStrength("password1"); got >= StrongScore {
		t.Errorf("PassphraseStrength(common password) = %d, want weak", got)
	}
}
