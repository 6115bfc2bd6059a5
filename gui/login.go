package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// LoginItem makes Keyshelf start when the user logs in; main passes an
// autostart.Item for the running program (package gui/autostart).
type LoginItem interface {
	Enabled() (bool, error)
	Enable() error
	Disable() error
}

// loginOnWords and the others are the line under "Start at login".
const (
	loginOnWords  = "Keyshelf opens when you log in; with \"Start hidden in the tray\" it waits there."
	loginOffWords = "Off: Keyshelf starts only when you open it."
	loginNoWords  = "This copy of Keyshelf cannot start itself at login: it runs from a temporary " +
		"or unknown folder. Install it, then turn this on."
)

// loginSetting is Settings' "Start at login" row: a check that adds or
// removes the login item at once, and a line saying what it does or why
// it could not.
func (u *UI) loginSetting(sv *settingsView) fyne.CanvasObject {
	sv.login = widget.NewCheck("Start Keyshelf when I log in", nil)
	sv.loginNote = note(loginOffWords)
	item := u.cfg.LoginItem
	if item == nil {
		sv.login.Disable()
		sv.loginNote.SetText(loginNoWords)
		return container.NewVBox(sv.login, sv.loginNote)
	}
	on, err := item.Enabled()
	if err != nil {
		sv.loginNote.SetText("Keyshelf could not read the login items: " + err.Error())
	}
	sv.login.SetChecked(on)
	if on {
		sv.loginNote.SetText(loginOnWords)
	}
	sv.login.OnChanged = func(on bool) {
		change, verb := item.Disable, "remove itself from"
		if on {
			change, verb = item.Enable, "add itself to"
		}
		if err := change(); err != nil {
			// Back to what the system has, without calling this again.
			f := sv.login.OnChanged
			sv.login.OnChanged = nil
			sv.login.SetChecked(!on)
			sv.login.OnChanged = f
			sv.loginNote.SetText("Keyshelf could not " + verb + " the login items: " + err.Error())
			return
		}
		if on {
			sv.loginNote.SetText(loginOnWords)
		} else {
			sv.loginNote.SetText(loginOffWords)
		}
	}
	return container.NewVBox(sv.login, sv.loginNote)
}
