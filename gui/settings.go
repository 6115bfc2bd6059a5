package gui

// showSettings opens the settings dialog. It lands in a following change.
func (u *UI) showSettings() {}
