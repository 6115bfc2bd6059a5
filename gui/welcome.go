package gui

import (
	"errors"
	"image/color"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
)

var strengthWords = [...]string{"Very weak", "Weak", "Fair", "Good", "Strong"}

// strength scores a passphrase from 0 (very weak) to 4 (strong).
func strength(pass string) int {
	if pass == "" {
		return 0
	}
	// zxcvbn's cost grows with length; past 64 characters it is strong anyway.
	if len(pass) > 64 {
		return 4
	}
	return vault.PassphraseStrength(pass)
}

// welcomeView holds the first-run screen's fields.
type welcomeView struct {
	pass1, pass2         *widget.Entry
	understood, remember *enterCheck
	weakOK               *enterCheck // "use it anyway", shown for a weak passphrase
	create               *widget.Button
	problem              *widget.Label
	missing              *widget.Label // what the greyed Create waits for
	meter                *strengthMeter
	hint                 *widget.Label
}

// showWelcome is the first-run screen that creates the vault.
func (u *UI) showWelcome() {
	u.win.SetTitle("Keyshelf")
	pass1, pass2 := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass1.SetPlaceHolder("Passphrase")
	pass2.SetPlaceHolder("Passphrase again")
	meter := newStrengthMeter()
	hint := widget.NewLabel("")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord // the form is narrower than the hints
	understood := newEnterCheck("I understand a lost passphrase cannot be recovered")
	remember := newEnterCheck("Remember on this device (unlock without typing it)")
	weakOK := newEnterCheck("Use this easy-to-guess passphrase anyway")
	weakOK.Hide()
	if u.cfg.Options.Keychain == nil {
		remember.Disable()
	}
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	missing := small("")
	missing.Wrapping = fyne.TextWrapWord
	create := widget.NewButtonWithIcon("Create vault", theme.ConfirmIcon(), nil)
	create.Importance = widget.HighImportance

	var screen fyne.CanvasObject // the whole screen, laid out again when weakOK comes or goes
	validate := func() {
		s := strength(pass1.Text)
		if pass1.Text == "" {
			meter.SetScore(-1)
		} else {
			meter.SetScore(s)
		}
		switch {
		case pass1.Text == "":
			hint.SetText("Use four or more random words, or a long sentence only you know.")
		case errors.Is(vault.CheckNewPassphrase(pass1.Text), vault.ErrShortPassphrase):
			hint.SetText("Too short: use at least " + strconv.Itoa(vault.MinPassphraseLen) + " characters (four or more random words are better).")
		case s < vault.StrongScore:
			hint.SetText("Easy to guess: make it longer, or add unrelated words.")
		default:
			hint.SetText("")
		}
		switch {
		case pass1.Text == "":
			problem.SetText("")
		case pass2.Text != "" && pass2.Text != pass1.Text:
			problem.SetText("The two passphrases differ")
		default:
			problem.SetText("")
		}
		// The rule for a new passphrase (vault.CheckNewPassphrase, as on
		// the command line): 8 characters at least; a weak one only after
		// an explicit "use it anyway".
		short := errors.Is(vault.CheckNewPassphrase(pass1.Text), vault.ErrShortPassphrase)
		weak := pass1.Text != "" && !short && s < vault.StrongScore
		if weak != weakOK.Visible() {
			if weak {
				weakOK.Show()
			} else {
				weakOK.Hide()
				weakOK.SetChecked(false)
			}
			if screen != nil {
				screen.Refresh()
			}
		}
		// A greyed Create says what it waits for.
		var need []string
		switch {
		case pass1.Text == "":
			need = append(need, "choose a passphrase")
		case short:
			need = append(need, "make the passphrase at least "+strconv.Itoa(vault.MinPassphraseLen)+" characters long")
		case weak && !weakOK.Checked:
			need = append(need, "choose a stronger passphrase or tick \u201cUse this easy-to-guess passphrase anyway\u201d")
		}
		switch {
		case pass1.Text == "":
		case pass2.Text == "":
			need = append(need, "type it again")
		case pass2.Text != pass1.Text:
			need = append(need, "type the same passphrase twice")
		}
		if !understood.Checked {
			need = append(need, "tick \u201cI understand\u2026\u201d")
		}
		if len(need) == 0 {
			missing.SetText("")
			create.Enable()
		} else {
			missing.SetText("To create the vault: " + strings.Join(need, ", ") + ".")
			create.Disable()
		}
	}
	pass1.OnChanged = func(string) { validate() }
	pass2.OnChanged = func(string) { validate() }
	understood.OnChanged = func(bool) { validate() }
	weakOK.OnChanged = func(bool) { validate() }
	submit := func() {
		if create.Disabled() {
			return
		}
		create.Disable()
		create.SetText("Creating…")
		pass, rem, path := pass1.Text, remember.Checked, u.cfg.VaultPath
		wv := u.welcome
		u.cfg.Go(func() {
			v, err := vault.Create(path, pass, u.cfg.Options)
			var remErr error
			if err == nil && rem {
				remErr = v.Remember("")
			}
			fyne.Do(func() {
				if u.welcome != wv || u.cfg.VaultPath != path {
					if v != nil {
						_ = v.Close() // another vault was opened meanwhile
					}
					return
				}
				if err != nil {
					create.SetText("Create vault")
					validate()
					u.showError(err)
					return
				}
				u.unlocked(v)
				if remErr != nil {
					u.main.setStatus("Vault created, but this device could not be remembered: " + u.userMessage(remErr))
				}
			})
		})
	}
	create.OnTapped = submit
	// Enter creates the vault once the form is complete, from any field.
	pass1.OnSubmitted = func(string) {
		if create.Disabled() {
			u.win.Canvas().Focus(pass2)
			return
		}
		submit()
	}
	pass2.OnSubmitted = func(string) { submit() }
	understood.onEnter = submit
	remember.onEnter = submit
	weakOK.onEnter = submit
	validate()
	u.welcome = &welcomeView{pass1: pass1, pass2: pass2, understood: understood, remember: remember, weakOK: weakOK, create: create, problem: problem, missing: missing, meter: meter, hint: hint}

	form := container.NewVBox(
		heading("Welcome to Keyshelf"),
		widget.NewLabelWithStyle("Choose a passphrase for your new vault.", fyne.TextAlignCenter, fyne.TextStyle{}),
		small(filepath.Join(filepath.Base(filepath.Dir(u.cfg.VaultPath)), filepath.Base(u.cfg.VaultPath))),
		pass1, meter, twoLines(hint), pass2, problem, weakOK, understood, remember, create, missing,
		lowButton("Open an existing vault…", theme.FolderOpenIcon(), u.chooseVault),
	)
	screen = centered(form)
	u.win.SetContent(screen)
	u.win.Canvas().Focus(pass1)
	u.unlock = nil
	u.setMenus()
}

// enterCheck is a check box on a form: Enter in it submits the form.
type enterCheck struct {
	widget.Check
	onEnter func()
}

func newEnterCheck(label string) *enterCheck {
	c := &enterCheck{}
	c.Text = label
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey submits on Enter and passes other keys (Space toggles) on.
func (c *enterCheck) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && c.onEnter != nil {
		c.onEnter()
		return
	}
	c.Check.TypedKey(k)
}

// twoLines gives a wrapping label the height of two lines whatever it says,
// so that the form neither jumps as the text changes nor lets a second line
// run over the next field.
func twoLines(l *widget.Label) fyne.CanvasObject {
	lines := widget.NewLabel("1\n2")
	lines.TextStyle = l.TextStyle
	space := canvas.NewRectangle(color.Transparent)
	space.SetMinSize(fyne.NewSize(0, lines.MinSize().Height))
	return container.NewStack(space, l)
}
