package leakscan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkScanTree scans a tree of 10,000 source-like files (about 2 KiB
// each, 100 folders) for 50 vault keys of assorted lengths and every
// provider shape; one file in a hundred holds a key.
//
//	go test -run '^$' -bench ScanTree -benchtime 5x ./vault/leakscan/
func BenchmarkScanTree(b *testing.B) {
	root := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		n := 2 + rng.IntN(9)
		var sb strings.Builder
		for range n {
			sb.WriteByte(letters[rng.IntN(len(letters))])
		}
		return sb.String()
	}
	var keys []Key
	for i := range 50 {
		keys = append(keys, Key{ID: fmt.Sprint(i), Name: fmt.Sprint("key ", i), Secret: fmt.Sprintf("tok-%0*d-%s", 16+i%30, i, "Zq9")})
	}
	for d := range 100 {
		dir := filepath.Join(root, fmt.Sprintf("pkg%03d", d))
		if err := os.Mkdir(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		for f := range 100 {
			var sb strings.Builder
			for sb.Len() < 2048 {
				fmt.Fprintf(&sb, "\tfunc %s(%s int) error { return %s(%s) } // %s %s\n", word(), word(), word(), word(), word(), word())
			}
			if (d*100+f)%100 == 7 {
				fmt.Fprintf(&sb, "const token = %q\n", keys[(d+f)%len(keys)].Secret)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("file%03d.go", f)), []byte(sb.String()), 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	s, err := New(keys)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var res Result
	for range b.N {
		if res, err = s.Scan(context.Background(), []string{root}, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if res.Files != 10000 || len(res.Finds) != 100 {
		b.Fatalf("%d files, %d finds; want 10000 and 100", res.Files, len(res.Finds))
	}
	b.ReportMetric(float64(res.Bytes)/1e6, "MB/scan")
}
