package dotenv

import "testing"

// FuzzParse: any input is read or refused without a panic, and what is read
// writes back (Format) to a file that reads the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x\ny'\n", "C=\"a\\n\\\"b\" # c\n", "D= #x\r\nE=a#b", "\xef\xbb\xbfF=", "G='", "H=\"\\"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vars, _, err := Parse(data)
		if err != nil {
			return
		}
		out, err := Format(vars)
		if err != nil {
			t.Fatalf("Format of what Parse read: %v", err)
		}
		again, _, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse of Format's output: %v\n%q", err, out)
		}
		if len(again) != len(vars) {
			t.Fatalf("%d vars read back, want %d\n%q", len(again), len(vars), out)
		}
		for i := range vars {
			if again[i].Name != vars[i].Name || again[i].Value != vars[i].Value {
				t.Fatalf("var %d: read back %q=%q, want %q=%q", i, again[i].Name, again[i].Value, vars[i].Name, vars[i].Value)
			}
		}
	})
}
