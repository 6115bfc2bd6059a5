package leakscan

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/vault"
)

// Fake keys, none real. The vault's custom key has no provider shape.
const (
	vaultCustom  = "x7Qp-internal-service-token-9c2Rk"
	vaultOpenAI  = "sk-proj-VAULTabcdefghijklmnopT3BlbkFJqrstuvwxyz0123"
	strayGitHub  = "ghp_STRAYabcdefghijklmnopqrstuvwxyz01234"
	strayStripe  = "sk_live_STRAYabcdefghijklmnopqrstuv"
	strayMistral = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4f" // 32 mixed letters and digits: Mistral's generic shape
)

func scanner(t *testing.T) *Scanner {
	t.Helper()
	s, err := New([]Key{
		{ID: "e1", Name: "Internal", Secret: vaultCustom, Provider: "custom"},
		{ID: "e2", Name: "OpenAI prod", Secret: vaultOpenAI, Provider: "openai"},
		{ID: "e3", Name: "Too short", Secret: "abc1234"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// fixture is a tree with planted keys, near misses and things to skip.
func fixture(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "config", "settings.py"), "DEBUG = True\nSERVICE_TOKEN = \""+vaultCustom+"\"\n")
	write(t, filepath.Join(root, "src", "client.js"), "// calls OpenAI\nconst key = '"+vaultOpenAI+"';\nconst gh = `token "+strayGitHub+"`;\n")
	write(t, filepath.Join(root, ".env"), "STRIPE_API_KEY="+strayStripe+"\r\nMISTRAL_API_KEY="+strayMistral+"\r\n")
	write(t, filepath.Join(root, "notes.md"), strings.Join([]string{
		"A git commit: 3f2a9c1b7d4e6f8091a2b3c4d5e6f708192a3b4c",         // 40 hex: Cohere's generic shape, but no mixed case
		"A UUID: 123e4567e89b12d3a456426614174000",                       // 32 hex
		"Nothing to see here: " + strayMistral,                           // generic shape, no word of keys
		"sk-proj-short and ghp_tooshort and xsk_live_" + strayStripe[8:], // prefixes without a whole shape
		"Inside a longer word: A" + strayGitHub + "Z",
		"The vault key cut short: " + vaultCustom[:len(vaultCustom)-1] + ".",
	}, "\n")+"\n")
	write(t, filepath.Join(root, ".git", "config"), "token = "+strayGitHub+"\n")
	write(t, filepath.Join(root, "node_modules", "x", "index.js"), "k='"+strayGitHub+"'\n")
	write(t, filepath.Join(root, "vendor", "lib.go"), "// "+strayGitHub+"\n")
	write(t, filepath.Join(root, "app.bin"), "\x00\x01ELF "+strayGitHub+"\n")
	write(t, filepath.Join(root, "big.log"), strings.Repeat("x", 2<<20)+"\n"+strayGitHub+"\n")
	write(t, filepath.Join(root, "locked.txt"), strayGitHub+"\n")
	write(t, filepath.Join(root, "min.js"), "var a='"+strings.Repeat("y", 100<<10)+"',k='"+strayGitHub+"';\n")
	if err := os.Symlink(root, filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, ".env"), filepath.Join(root, "env-link")); err != nil {
		t.Fatal(err)
	}
	return root
}

// unreadable makes openFile refuse files named name.
func unreadable(t *testing.T, name string) {
	open := openFile
	openFile = func(p string) (*os.File, error) {
		if filepath.Base(p) == name {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
		}
		return open(p)
	}
	t.Cleanup(func() { openFile = open })
}

func TestScanFixture(t *testing.T) {
	root := fixture(t)
	unreadable(t, "locked.txt")
	s := scanner(t)
	res, err := s.Scan(context.Background(), []string{root}, nil, Options{MaxFileSize: 1 << 20, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		file     string
		line     int
		provider string
		entry    string
		weak     bool
	}
	wants := []want{
		{".env", 1, "stripe", "", false},
		{".env", 2, "mistral", "", true},
		{"config/settings.py", 2, "custom", "Internal", false},
		{"min.js", 1, "github", "", false},
		{"src/client.js", 2, "openai", "OpenAI prod", false},
		{"src/client.js", 3, "github", "", false},
	}
	if len(res.Finds) != len(wants) {
		for _, f := range res.Finds {
			t.Logf("find %s:%d %s %s", f.Path, f.Line, f.Provider, f.EntryName)
		}
		t.Fatalf("%d finds, want %d", len(res.Finds), len(wants))
	}
	for i, w := range wants {
		f := res.Finds[i]
		if f.Path != filepath.Join(root, w.file) || f.Line != w.line || f.Provider != w.provider || f.EntryName != w.entry || f.Weak != w.weak {
			t.Errorf("find %d = %s:%d %s %q weak %v, want %+v", i, f.Path, f.Line, f.Provider, f.EntryName, f.Weak, w)
		}
		if !strings.HasPrefix(f.Fingerprint, w.file+":") || f.Accepted {
			t.Errorf("find %d fingerprint %q accepted %v", i, f.Fingerprint, f.Accepted)
		}
	}
	skipped := map[string]string{}
	for _, sk := range res.Skipped {
		rel, _ := filepath.Rel(root, sk.Path)
		skipped[filepath.ToSlash(rel)] = sk.Reason
	}
	for file, why := range map[string]string{".git": "git's own data", "node_modules": "installed npm packages", "vendor": "vendored dependencies",
		"app.bin": "binary", "big.log": "larger than 1 MiB", "locked.txt": "cannot be read: permission denied",
		"loop": "a symbolic link (not followed)", "env-link": "a symbolic link (not followed)"} {
		if skipped[file] != why {
			t.Errorf("%s skipped as %q, want %q", file, skipped[file], why)
		}
	}
	if res.Files != 5 {
		t.Errorf("read %d files, want 5", res.Files)
	}
	for _, k := range []string{vaultCustom, vaultOpenAI, strayGitHub, strayStripe, strayMistral} {
		for _, f := range res.Finds {
			if strings.Contains(f.Masked+f.Fingerprint+f.Path, k) {
				t.Error("a find holds a key")
			}
		}
		for _, sk := range res.Skipped {
			if strings.Contains(sk.Reason, k) {
				t.Error("a skip holds a key")
			}
		}
	}
	if res.Finds[2].Masked != vault.Mask(vaultCustom) {
		t.Errorf("masked %q", res.Finds[2].Masked)
	}
}

func TestAcceptedFindsStayQuiet(t *testing.T) {
	root := fixture(t)
	s := scanner(t)
	res, _ := s.Scan(context.Background(), []string{root}, nil, Options{MaxFileSize: 1 << 20})
	// Accept the two in src/client.js.
	var accept []Find
	for _, f := range res.Finds {
		if strings.HasPrefix(f.Fingerprint, "src/") {
			accept = append(accept, f)
		}
	}
	if err := Accept(root, accept); err != nil {
		t.Fatal(err)
	}
	if err := Accept(root, accept); err != nil { // again: nothing doubled
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(root, IgnoreFile))
	if strings.Count(string(data), "src/client.js:") != 4 { // two fingerprints, each with its comment
		t.Errorf("ignore file:\n%s", data)
	}
	for _, k := range []string{vaultOpenAI, strayGitHub, "OpenAI prod"} {
		if strings.Contains(string(data), k) {
			t.Error("the ignore file names a key or an entry")
		}
	}
	// Re-indenting the line keeps it accepted; editing it does not.
	client := filepath.Join(root, "src", "client.js")
	write(t, client, "// calls OpenAI\n    const key = '"+vaultOpenAI+"';\nconst gh = `token "+strayGitHub+"` // changed\n")
	ign, err := LoadIgnore([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	res, _ = s.Scan(context.Background(), []string{root}, ign, Options{MaxFileSize: 1 << 20})
	got := map[int]bool{}
	for _, f := range res.Finds {
		if f.Path == client {
			got[f.Line] = f.Accepted
		}
	}
	if !got[2] || got[3] {
		t.Errorf("accepted by line: %v (want line 2 accepted, line 3 not)", got)
	}
	if res.Unaccepted() != len(res.Finds)-1 {
		t.Errorf("unaccepted %d of %d", res.Unaccepted(), len(res.Finds))
	}
}

func TestScanCancel(t *testing.T) {
	root := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := scanner(t).Scan(ctx, []string{root}, nil, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled scan: %v", err)
	}
	if _, err := scanner(t).Scan(context.Background(), []string{filepath.Join(root, "gone")}, nil, Options{}); !errors.Is(err, ErrNotFolder) {
		t.Errorf("a missing folder: %v", err)
	}
}

func TestScanLineOverlaps(t *testing.T) {
	s := scanner(t)
	// The vault's OpenAI key is also OpenAI-shaped: one find, the vault's.
	finds := s.ScanLine([]byte("OPENAI_API_KEY=" + vaultOpenAI))
	if len(finds) != 1 || finds[0].EntryName != "OpenAI prod" {
		t.Errorf("finds: %+v", finds)
	}
	// Two keys on one line.
	finds = s.ScanLine([]byte(strayGitHub + " " + vaultCustom))
	if len(finds) != 2 {
		t.Errorf("two keys: %d finds", len(finds))
	}
}

func TestKeyOf(t *testing.T) {
	root := fixture(t)
	res, err := scanner(t).Scan(context.Background(), []string{root}, nil, Options{MaxFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var gh Find
	for _, f := range res.Finds {
		if f.Provider == "github" && strings.HasSuffix(f.Path, "client.js") {
			gh = f
		}
	}
	if key, err := KeyOf(gh); err != nil || key != strayGitHub {
		t.Fatalf("KeyOf: %v", err)
	}
	write(t, gh.Path, "nothing here now\n\n\n")
	if _, err := KeyOf(gh); !errors.Is(err, ErrChanged) {
		t.Errorf("after a change: %v", err)
	}
}

// TestRootsFileLinkAndSeparateIgnores: a file given as the root keeps its
// accepted finds (in its folder's ignore file); a root given as a
// symbolic link is followed; one folder's ignore file accepts nothing in
// another; DeepSeek's lower-case shape is found after key words.
func TestRootsFileLinkAndSeparateIgnores(t *testing.T) {
	s := scanner(t)
	a, b := t.TempDir(), t.TempDir()
	line := "token = \"" + strayGitHub + "\"\n"
	write(t, filepath.Join(a, "x.txt"), line)
	write(t, filepath.Join(b, "x.txt"), line)
	file := filepath.Join(a, "x.txt")
	res, err := s.Scan(context.Background(), []string{file}, nil, Options{})
	if err != nil || len(res.Finds) != 1 {
		t.Fatalf("a file root: %d finds, %v", len(res.Finds), err)
	}
	if err := Accept(res.Finds[0].Root, res.Finds); err != nil {
		t.Fatal(err)
	}
	ign, _ := LoadIgnore([]string{file, b})
	res, _ = s.Scan(context.Background(), []string{file, b}, ign, Options{})
	if len(res.Finds) != 2 || res.Unaccepted() != 1 || res.Finds[0].Accepted == res.Finds[1].Accepted {
		t.Errorf("accepted in a only: %+v", res.Finds)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(b, link); err != nil {
		t.Fatal(err)
	}
	if res, _ = s.Scan(context.Background(), []string{link}, nil, Options{}); len(res.Finds) != 1 {
		t.Errorf("a linked root: %d finds, skipped %+v", len(res.Finds), res.Skipped)
	}
	if fs := s.ScanLine([]byte("DEEPSEEK_API_KEY=sk-0123456789abcdef0123456789abcdef")); len(fs) != 1 || fs[0].Provider != "deepseek" {
		t.Errorf("DeepSeek: %+v", fs)
	}
	if fs := s.ScanLine([]byte("id = sk-0123456789abcdef0123456789abcdef")); len(fs) != 0 {
		t.Errorf("DeepSeek's shape without key words: %+v", fs)
	}
}

// TestFingerprintHoldsNoHashOfTheKey: a line that is only a key gets the
// fingerprint of its masked form, not a hash of the key.
func TestFingerprintHoldsNoHashOfTheKey(t *testing.T) {
	s := scanner(t)
	fds, spans := s.scanLine([]byte(strayGitHub))
	if len(fds) != 1 {
		t.Fatal("no find")
	}
	if lineHash([]byte(strayGitHub), fds, spans) != lineHash([]byte(fds[0].Masked), nil, nil) {
		t.Error("the fingerprint is not of the masked line")
	}
}
