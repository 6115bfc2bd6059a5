// Command mkkeepass writes a KeePass 2 XML file holding n fake keys, the
// same names and key shapes as e2e/cmd/mkvault makes for Keyshelf, so that
// scripts/measure-peer.sh can turn it into a KeePassXC database with
// `keepassxc-cli import` and measure both apps on the same keys.
//
//	go run ./e2e/cmd/mkkeepass -n 10000 OUT.xml
//
// Every entry has a title, the key as its password, the tag "measure" and
// creation times; the file must not exist. It holds fake keys only, but
// is written 0600 like any file of passwords.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"keyshelf/e2e/internal/fakekeys"
)

func main() {
	n := flag.Int("n", 10000, "number of keys")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: mkkeepass [-n N] OUT.xml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "mkkeepass:", err)
		os.Exit(1)
	}
}

func run(path string, n int) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	now := time.Now().UTC().Format(time.RFC3339)
	times := "<Times><CreationTime>" + now + "</CreationTime><LastModificationTime>" + now +
		"</LastModificationTime><LastAccessTime>" + now + "</LastAccessTime><Expires>False</Expires></Times>"
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile>\n"+
		"<Meta><Generator>mkkeepass</Generator><DatabaseName>measure</DatabaseName></Meta>\n"+
		"<Root><Group><UUID>%s</UUID><Name>Root</Name>%s\n", uuid(), times)
	for i := range n {
		name, secret := fakekeys.Key(i)
		fmt.Fprintf(w, "<Entry><UUID>%s</UUID><Tags>measure</Tags>%s"+
			"<String><Key>Title</Key><Value>%s</Value></String>"+
			"<String><Key>UserName</Key><Value></Value></String>"+
			"<String><Key>Password</Key><Value ProtectInMemory=\"True\">%s</Value></String>"+
			"<String><Key>URL</Key><Value></Value></String>"+
			"<String><Key>Notes</Key><Value></Value></String></Entry>\n",
			uuid(), times, escape(name), escape(secret))
	}
	fmt.Fprintln(w, "</Group></Root>\n</KeePassFile>")
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Printf("Wrote %s with %d fake keys\n", path, n)
	return nil
}

// uuid is a random 16-byte UUID in base64, as KeePass XML has them.
func uuid() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// escape is s as XML character data.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}
