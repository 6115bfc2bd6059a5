//go:build windows

package secretclip

import (
	"testing"
)

var isClipboardFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")

// On a real Windows desktop (the CI's Windows runner): a copy carries the
// text and the three private formats, Owns follows the clipboard, and an
// empty Set takes the copy off.
func TestWindowsClipboardMarksTheCopy(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const key = "sk-test-windows-clipboard-0001 é"
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]uintptr{cfUnicodeText}, c.formats[:]...) {
		if r, _, _ := isClipboardFormatAvailable.Call(f); r == 0 {
			t.Fatalf("format %d is not on the clipboard", f)
		}
	}
	if got, ok := c.Owns(); !ok || got != key {
		t.Fatal("Owns does not report the copy")
	}
	// Another program's copy: the sequence number moves on.
	if err := open(); err != nil {
		t.Fatal(err)
	}
	emptyClipboard.Call()
	closeClipboard.Call()
	if _, ok := c.Owns(); ok {
		t.Fatal("Owns after another program changed the clipboard")
	}
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(""); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := isClipboardFormatAvailable.Call(cfUnicodeText); r != 0 {
		t.Fatal("the copy is still on the clipboard")
	}
}

func TestUTF16Z(t *testing.T) {
	b := utf16z("aé😀")
	want := []byte{'a', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde, 0, 0}
	if string(b) != string(want) {
		t.Fatalf("% x", b)
	}
}
