package autostart

import (
	"encoding/xml"
	"runtime"
	"strings"
	"testing"
)

var item = Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: "/opt/My Apps/keyshelf", Args: []string{"--vault", "/home/a/100% $HOME/v.keyshelf"}}

func TestDesktopEntry(t *testing.T) {
	got, err := DesktopEntry(item)
	if err != nil {
		t.Fatal(err)
	}
	want := "[Desktop Entry]\nType=Application\nName=Keyshelf\n" +
		`Exec="/opt/My Apps/keyshelf" --vault "/home/a/100%% \\$HOME/v.keyshelf"` + "\n" +
		"Icon=dev.keyshelf.app\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	plain, _ := DesktopEntry(Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: "/usr/bin/keyshelf"})
	if !strings.Contains(plain, "\nExec=/usr/bin/keyshelf\n") {
		t.Fatalf("a plain path is quoted:\n%s", plain)
	}
}

func TestLaunchAgent(t *testing.T) {
	text, err := LaunchAgent(Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: "/Applications/Keyshelf.app/Contents/MacOS/keyshelf", Args: []string{"a<b&c"}})
	if err != nil {
		t.Fatal(err)
	}
	// Read it back as XML: the arguments come out as they went in.
	var plist struct {
		Dict struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal([]byte(text), &plist); err != nil {
		t.Fatalf("not XML: %v\n%s", err, text)
	}
	var args struct {
		Strings []string `xml:"array>string"`
	}
	if err := xml.Unmarshal([]byte("<d>"+string(plist.Dict.Inner)+"</d>"), &args); err != nil {
		t.Fatal(err)
	}
	if len(args.Strings) != 2 || args.Strings[0] != "/Applications/Keyshelf.app/Contents/MacOS/keyshelf" || args.Strings[1] != "a<b&c" {
		t.Fatalf("ProgramArguments = %q", args.Strings)
	}
	for _, want := range []string{"<key>Label</key>\n\t<string>dev.keyshelf.app</string>", "<key>RunAtLoad</key>\n\t<true/>"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}

func TestRunCommand(t *testing.T) {
	got, err := RunCommand(Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: `C:\Program Files\Keyshelf\keyshelf.exe`,
		Args: []string{"--vault", `C:\My Vault\v.keyshelf`, `say "hi"`, `ends\`, `C:\x\`}})
	if runtime.GOOS != "windows" {
		// filepath.IsAbs does not take a Windows path elsewhere.
		if err == nil {
			t.Fatal("a Windows path passed as absolute off Windows")
		}
		got, err = RunCommand(Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: "/opt/Keyshelf/keyshelf.exe",
			Args: []string{"--vault", `C:\My Vault\v.keyshelf`, `say "hi"`, `ends\`, `C:\x y\`}})
		if err != nil {
			t.Fatal(err)
		}
		want := `"/opt/Keyshelf/keyshelf.exe" --vault "C:\My Vault\v.keyshelf" "say \"hi\"" ends\ "C:\x y\\"`
		if got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want := `"C:\Program Files\Keyshelf\keyshelf.exe" --vault "C:\My Vault\v.keyshelf" "say \"hi\"" ends\ C:\x\`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestBadItems(t *testing.T) {
	for name, it := range map[string]Item{
		"relative program": {ID: "dev.keyshelf.app", Exec: "keyshelf"},
		"no id":            {Exec: "/usr/bin/keyshelf"},
		"id with a slash":  {ID: "../x", Exec: "/usr/bin/keyshelf"},
		"newline in arg":   {ID: "dev.keyshelf.app", Exec: "/usr/bin/keyshelf", Args: []string{"a\nExec=/bin/evil"}},
		"newline in name":  {ID: "dev.keyshelf.app", Name: "K\n[x]", Exec: "/usr/bin/keyshelf"},
	} {
		for fn, render := range map[string]func(Item) (string, error){"desktop": DesktopEntry, "plist": LaunchAgent, "run": RunCommand} {
			if _, err := render(it); err == nil {
				t.Errorf("%s: %s accepted it", name, fn)
			}
		}
	}
}
