package gui

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/syncfolder"
)

// One vault on several computers: the vault file sits in a folder that a
// sync service (Syncthing, Dropbox, …) keeps the same on each. While the
// vault is unlocked the window watches its file (Config.Watch); when the
// file changes from outside it takes the change in (vault.Reload: merged
// with this copy's entries, nothing lost) and merges the conflict copies
// the service left beside it. Dialogs that are open stay as they are: an
// edit in progress is saved onto the merged vault.

// WatchFile is Config.Watch for main: a syncfolder watcher on path (file
// system events, with polling as a fallback) calling changed for each
// change until stop.
func WatchFile(path string, changed func()) (stop func()) {
	w, err := syncfolder.Watch(path, syncfolder.WatchOptions{})
	if err != nil {
		return func() {}
	}
	go func() {
		for range w.Changes() {
			changed()
		}
	}()
	return func() { w.Close() }
}

// syncState is the outside-change watch of the unlocked vault.
type syncState struct {
	stop   func() // ends the watch; nil when none
	busy   bool   // a take-in runs
	again  bool   // another change came while it ran
	asking bool   // the passphrase dialog is open
	// then runs once a take-in with a passphrase succeeded: the save that
	// needed it, tried again.
	then func()
	// summary is the text of the last conflict-copy summary shown.
	summary *widget.Label
	// pending is a passphrase typed while a take-in ran, for the next.
	pending string
	// mentioned are the copies whose names may be the user's own, said
	// once each in the status bar.
	mentioned map[string]bool
	// gen counts watches: a take-in that ends after the vault was locked
	// or moved belongs to an earlier one and changes nothing.
	gen int
}

// startWatching watches the unlocked vault's file, and takes in at once
// what changed and what conflict copies arrived while it was locked.
func (u *UI) startWatching() {
	v := u.v
	if v == nil {
		return
	}
	if u.cfg.Watch != nil {
		u.sync.stop = u.cfg.Watch(v.File(), func() {
			fyne.Do(func() {
				if u.v == v {
					u.takeInOutside("")
				}
			})
		})
	}
	u.takeInOutside("")
}

// stopWatching ends the watch (on lock and quit).
func (u *UI) stopWatching() {
	if u.sync.stop != nil {
		u.sync.stop()
	}
	u.sync = syncState{gen: u.sync.gen + 1}
}

// takeInOutside reloads the vault file and merges the conflict copies
// beside it, off the UI goroutine, then shows what came in. passphrase is
// for a version written with another passphrase ("" when none is known).
func (u *UI) takeInOutside(passphrase string) {
	v := u.v
	if v == nil || u.main == nil {
		return
	}
	if u.sync.busy {
		u.sync.again = true
		if passphrase != "" {
			u.sync.pending = passphrase
		}
		return
	}
	u.sync.busy = true
	gen := u.sync.gen
	dir := u.cfg.MergedFolder
	if dir == "" {
		dir, _ = vault.MergedFolder()
	}
	u.cfg.Go(func() {
		r, err := v.Reload(passphrase)
		var copies []vault.ConflictCopy
		var cerr error
		if err == nil && !v.ReadOnly() && dir != "" {
			copies, cerr = v.MergeConflicts(dir, passphrase, false)
		}
		fyne.Do(func() {
			if u.sync.gen != gen {
				return // locked or moved since: another watch's state
			}
			u.sync.busy = false
			if u.v != v || u.main == nil {
				return
			}
			u.tookIn(v, r, err, copies, cerr, passphrase != "")
			if u.sync.again {
				next := u.sync.pending
				u.sync.again, u.sync.pending = false, ""
				u.takeInOutside(next)
			}
		})
	})
}

// tookIn shows what takeInOutside found: the list as it is now, a status
// line, a summary of merged conflict copies, or a question for the
// passphrase the other computer used.
func (u *UI) tookIn(v *vault.Vault, r vault.Reload, err error, copies []vault.ConflictCopy, cerr error, triedPass bool) {
	needPass := errors.Is(err, vault.ErrOtherKey)
	wrong := triedPass && errors.Is(err, vault.ErrWrongPassphrase)
	var merged []vault.ConflictCopy
	for _, c := range copies {
		if errors.Is(c.Err, vault.ErrOtherKey) {
			needPass = true
		}
		if errors.Is(c.Err, vault.ErrAmbiguousCopy) && !u.sync.mentioned[c.Path] {
			if u.sync.mentioned == nil {
				u.sync.mentioned = map[string]bool{}
			}
			u.sync.mentioned[c.Path] = true
			u.main.setStatus(filepath.Base(c.Path) + " may be a " + c.Service + " conflict copy of the vault: File ▸ Merge another vault… merges it")
		}
		if c.Merged {
			merged = append(merged, c)
		}
	}
	if r.Changed || len(merged) > 0 {
		u.main.reload(u.main.selectedID())
		u.refreshTray()
	}
	switch {
	case r.Changed && r.WroteBack:
		u.main.setStatus("Merged with changes from another device: " + r.Report.String())
	case r.Changed && r.Report.Empty():
		u.main.setStatus("Updated from another device")
	case r.Changed:
		u.main.setStatus("Updated from another device: " + r.Report.String())
	}
	if r.DeviceForgotten {
		u.main.setStatus("Updated from another device, which no longer lets this one unlock without the passphrase; turn on Remember in Settings again")
		if u.settings != nil {
			u.settings.refreshRemember(u)
		}
	}
	if r.SetAside != "" {
		u.main.setStatus("A version of the vault from before a forget or passphrase change arrived and was not taken in; it is kept as " + filepath.Base(r.SetAside))
	}
	if err != nil && !needPass && !wrong {
		u.main.setStatus("Could not take in the vault's change from another device: " + u.userMessage(err))
	}
	if cerr != nil {
		u.main.setStatus("Could not merge the sync service's conflict copies: " + u.userMessage(cerr))
	}
	if len(merged) > 0 {
		u.showMergedCopies(merged)
	}
	if needPass || wrong {
		u.askOtherPassphrase(v, wrong, u.sync.then)
		return
	}
	if then := u.sync.then; then != nil && err == nil {
		u.sync.then = nil
		then()
	}
}

// showMergedCopies says which conflict copies were merged, what each
// changed and where it went. With another dialog open (an edit in
// progress) it only says so in the status bar.
func (u *UI) showMergedCopies(copies []vault.ConflictCopy) {
	var b strings.Builder
	for _, c := range copies {
		b.WriteString(filepath.Base(c.Path) + " (" + c.Service + "): " + c.Report.String() + "\n")
		reportLines(&b, c.Report)
		if c.MovedTo != "" {
			b.WriteString("    moved to " + c.MovedTo + "\n")
		} else if c.Err != nil {
			b.WriteString("    not moved: " + u.userMessage(c.Err) + "\n")
		}
	}
	status := "Merged a conflict copy from the sync service"
	if len(copies) > 1 {
		status = "Merged " + strconv.Itoa(len(copies)) + " conflict copies from the sync service"
	}
	u.main.setStatus(status)
	u.showSummary(status, b.String())
}

// askOtherPassphrase asks for the passphrase that another computer's
// version of the vault was saved with, then takes it in and runs then (nil:
// nothing more). Until then saves are refused (a save would overwrite that
// version). wrong says the last passphrase typed did not open it.
func (u *UI) askOtherPassphrase(v *vault.Vault, wrong bool, then func()) {
	if u.sync.asking {
		return
	}
	u.sync.then = then
	const why = "The vault was changed on another device that uses another passphrase (or made this device forget it). Type that passphrase to take the change in; until then changes here cannot be saved."
	u.main.setStatus("Changed on another device with another passphrase: type it to take the change in")
	if then == nil && (u.dlg != nil || u.editor != nil) {
		return // asked when a save needs it (saveFailed)
	}
	u.sync.asking = true
	u.askPassphrase("Changed on another device", "Take it in", "Later", why, wrong, func(ok bool, typed string) {
		u.sync.asking = false
		if ok && typed != "" && u.v == v {
			u.takeInOutside(typed)
			return
		}
		u.sync.then = nil
	})
}

// askPassphrase asks for a passphrase in a dialog titled title that says
// why (and, when wrong, that the last one did not open it), and calls done
// with the answer. The field is emptied as the dialog closes; Escape then
// goes back to an editor that is open under it.
func (u *UI) askPassphrase(title, confirm, dismiss, why string, wrong bool, done func(ok bool, typed string)) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Passphrase")
	items := []*widget.FormItem{widget.NewFormItem("", note(why))}
	if wrong {
		items = append(items, widget.NewFormItem("", widget.NewLabelWithStyle("That passphrase does not open it.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})))
	}
	items = append(items, widget.NewFormItem("Passphrase", pass))
	var d *dialog.FormDialog
	d = dialog.NewForm(title, confirm, dismiss, items, func(ok bool) {
		typed := pass.Text
		pass.SetText("")
		if u.dlg == d {
			u.dlg = nil // closing: a wrong passphrase may ask again
			if u.editor != nil {
				u.dlg = u.editor.dlg
			}
		}
		done(ok, typed)
	}, u.win)
	pass.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	u.show(d)
	u.win.Canvas().Focus(pass)
}

// chooseMoveFolder asks for a folder (a synced one) and moves the open
// vault there (Settings ▸ Vault ▸ Move to folder…).
func (u *UI) chooseMoveFolder() {
	u.pickFolderForVault(func(v *vault.Vault, dir string) {
		u.moveVault(v, filepath.Join(dir, filepath.Base(v.File())))
	})
}

// moveVault moves v to path and goes on with it there.
func (u *UI) moveVault(v *vault.Vault, path string) {
	m, err := v.MoveTo(path)
	if errors.Is(err, vault.ErrExists) {
		u.show(u.errorDialog("A vault is already there",
			"That folder already holds "+filepath.Base(path)+". If it is this vault from another computer, open it with File ▸ Open another vault…, then add this computer's keys to it with File ▸ Merge another vault… (pick this vault's file, "+v.Path()+").",
			"", widget.NewButton("OK", func() {})))
		return
	}
	if err != nil {
		u.showError(err)
		return
	}
	u.stopWatching()
	u.cfg.VaultPath = path
	u.app.Preferences().SetString(PrefVaultPath, path)
	if u.cfg.VaultChanged != nil {
		u.cfg.VaultChanged(path)
	}
	if u.settings != nil {
		u.settings.path.SetText(path)
	}
	msg := "Moved the vault to " + path
	switch {
	case m.Linked:
		msg += "; its old place links to it"
	case m.LinkErr != nil:
		msg += "; on the command line, give --vault " + path + " (or set KEYSHELF_VAULT)"
	}
	if u.main != nil {
		u.main.setStatus(msg)
	}
	u.startWatching()
}

// chooseMerge asks for another vault file and merges it into the open one
// (File ▸ Merge another vault…): another copy of this vault, or another
// vault altogether, whose passphrase is asked for when it differs.
func (u *UI) chooseMerge() {
	if u.main == nil {
		return
	}
	u.pickOpenFile(func(path string) { u.mergeFile(u.v, path, "") }, []string{".keyshelf", ""})
}

// mergeFile merges the vault file at path into v and says what it changed.
func (u *UI) mergeFile(v *vault.Vault, path, passphrase string) {
	if v == nil || u.v != v {
		return
	}
	u.cfg.Go(func() {
		rep, err := v.MergeFile(path, passphrase)
		fyne.Do(func() {
			if u.v != v || u.main == nil {
				return
			}
			switch {
			case errors.Is(err, vault.ErrOtherKey), errors.Is(err, vault.ErrOtherVault), passphrase != "" && errors.Is(err, vault.ErrWrongPassphrase):
				u.askMergePassphrase(v, path, passphrase != "")
				return
			case errors.Is(err, vault.ErrSave):
				u.saveFailed(err, func() { u.mergeFile(v, path, passphrase) })
				return
			case err != nil:
				u.showError(err)
				return
			}
			u.main.reload(u.main.selectedID())
			u.refreshTray()
			title := "Merged " + filepath.Base(path)
			u.main.setStatus(title + ": " + rep.String())
			var b strings.Builder
			b.WriteString(rep.String() + "\n")
			reportLines(&b, rep)
			u.showSummary(title, b.String())
		})
	})
}

// askMergePassphrase asks for the passphrase of the vault file at path,
// then merges it. wrong says the last one typed did not open it.
func (u *UI) askMergePassphrase(v *vault.Vault, path string, wrong bool) {
	why := filepath.Base(path) + " was saved with another passphrase (or is another vault). Type its passphrase to merge it."
	u.askPassphrase("Merge "+filepath.Base(path), "Merge", "Cancel", why, wrong, func(ok bool, typed string) {
		if ok && typed != "" {
			u.mergeFile(v, path, typed)
		}
	})
}

// reportLines writes the names of the keys each part of rep concerns
// (names only, never keys), one part a line, indented.
func reportLines(b *strings.Builder, rep vault.MergeReport) {
	for _, part := range []struct {
		what  string
		names []string
	}{{"added", rep.Added}, {"updated", rep.Updated}, {"both values kept", rep.Combined},
		{"deleted", rep.Deleted}, {"kept, changed after its deletion", rep.Revived}} {
		if len(part.names) > 0 {
			b.WriteString("    " + part.what + ": " + strings.Join(part.names, ", ") + "\n")
		}
	}
	for _, rn := range rep.Renamed {
		b.WriteString("    renamed: " + rn.From + " → " + rn.To + "\n")
	}
}

// showSummary shows text under title, unless another dialog is open (an
// edit in progress): the status bar has said it then.
func (u *UI) showSummary(title, text string) {
	if u.dlg != nil || u.editor != nil {
		return
	}
	msg := widget.NewLabel(strings.TrimRight(text, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	u.sync.summary = msg
	d := dialog.NewCustom(title, "OK", msg, u.win)
	d.Resize(fyne.NewSize(560, 0))
	u.show(d)
}
