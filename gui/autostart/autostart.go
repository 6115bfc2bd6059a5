// Package autostart makes Keyshelf start when the user logs in, and stops
// it doing so: a desktop entry in the XDG autostart folder on Linux and the
// BSDs, a LaunchAgent property list on macOS, and a value under the user's
// Run key in the Windows registry. Only this user's login is touched; nothing
// needs administrator rights, and nothing of it holds a secret.
//
// The entries are made from an Item by pure functions (DesktopEntry,
// LaunchAgent, RunCommand), tested on every system; an Item's Enable,
// Disable and Enabled put them in place for the system the program runs on.
package autostart

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Item is the program to start at login.
type Item struct {
	// ID is the app's reverse-DNS identifier ("dev.keyshelf.app"): it
	// names the entry, so that Enable replaces its own entry and Disable
	// removes only that one.
	ID string
	// Name is what the system's list of login items shows.
	Name string
	// Exec is the absolute path of the program; Args follow it.
	Exec string
	Args []string
}

func (it Item) check() error {
	if it.ID == "" || strings.ContainsAny(it.ID, `/\ `+"\x00") || strings.HasPrefix(it.ID, ".") {
		return fmt.Errorf("login item: bad id %q", it.ID)
	}
	if !filepath.IsAbs(it.Exec) {
		return fmt.Errorf("login item: the program path %q is not absolute", it.Exec)
	}
	for _, s := range append([]string{it.Name, it.Exec}, it.Args...) {
		if strings.ContainsAny(s, "\x00\n\r") {
			return errors.New("login item: a name, path or argument holds a line break or NUL")
		}
	}
	return nil
}

// DesktopEntry is the XDG autostart desktop entry for it (the Desktop Entry
// Specification, with the Exec key quoted as it requires), for a file named
// ID + ".desktop" in $XDG_CONFIG_HOME/autostart.
func DesktopEntry(it Item) (string, error) {
	if err := it.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("[Desktop Entry]\nType=Application\n")
	b.WriteString("Name=" + escapeValue(it.Name) + "\n")
	words := []string{quoteExec(it.Exec)}
	for _, a := range it.Args {
		words = append(words, quoteExec(a))
	}
	b.WriteString("Exec=" + escapeValue(strings.Join(words, " ")) + "\n")
	b.WriteString("Icon=" + it.ID + "\n")
	b.WriteString("Terminal=false\nX-GNOME-Autostart-enabled=true\n")
	return b.String(), nil
}

// quoteExec quotes one word of an Exec key: in double quotes when it holds
// a reserved character, with `"`, "`", "$" and "\" escaped by a backslash;
// a literal "%" is written "%%" (field codes start with it).
func quoteExec(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, " \t\"'\\><~|&;$*?#()`=") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '`' || r == '$' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// escapeValue escapes a desktop entry string value: a backslash is "\\".
func escapeValue(s string) string { return strings.ReplaceAll(s, `\`, `\\`) }

// LaunchAgent is the macOS LaunchAgent property list for it, for a file
// named ID + ".plist" in ~/Library/LaunchAgents: launchd runs the program
// once at login (RunAtLoad) and does not restart it when it quits.
func LaunchAgent(it Item) (string, error) {
	if err := it.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("\t<key>Label</key>\n\t<string>" + xmlText(it.ID) + "</string>\n")
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range append([]string{it.Exec}, it.Args...) {
		b.WriteString("\t\t<string>" + xmlText(a) + "</string>\n")
	}
	b.WriteString("\t</array>\n\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>KeepAlive</key>\n\t<false/>\n")
	b.WriteString("\t<key>ProcessType</key>\n\t<string>Interactive</string>\n")
	b.WriteString("</dict>\n</plist>\n")
	return b.String(), nil
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// RunCommand is the command line for the Windows Run key: the program path
// in double quotes, then each argument quoted as CommandLineToArgvW reads it.
func RunCommand(it Item) (string, error) {
	if err := it.check(); err != nil {
		return "", err
	}
	if strings.Contains(it.Exec, `"`) {
		return "", errors.New("login item: the program path holds a double quote")
	}
	words := []string{`"` + it.Exec + `"`}
	for _, a := range it.Args {
		words = append(words, quoteWindowsArg(a))
	}
	return strings.Join(words, " "), nil
}

// quoteWindowsArg quotes an argument for CommandLineToArgvW: backslashes
// are literal except before a double quote, where they are doubled.
func quoteWindowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range s {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}
