package gui

// refreshTray brings the tray menu up to date (lock state, favourites).
// The tray itself lands in a following change.
func (u *UI) refreshTray() {}
