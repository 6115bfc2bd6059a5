package desktop

// The notifications that darwin.go observes, by name. They live in a file
// without a build constraint so that the mapping is tested on every system.
const (
	// Posted to NSDistributedNotificationCenter by the login window when
	// the screen locks (and com.apple.screenIsUnlocked when it unlocks,
	// which needs nothing from us). Not formally documented; KeePassXC
	// and others rely on it.
	noteScreenIsLocked = "com.apple.screenIsLocked"

	// NSWorkspace's notifications (its notificationCenter, not the
	// default one): the values of the AppKit constants of the same names.
	noteWillSleep    = "NSWorkspaceWillSleepNotification"
	noteDidWake      = "NSWorkspaceDidWakeNotification"
	noteWillPowerOff = "NSWorkspaceWillPowerOffNotification" // log out, restart or shut down
)

// The names darwin.go subscribes to, by notification center.
var (
	distributedNotes = []string{noteScreenIsLocked}
	workspaceNotes   = []string{noteWillSleep, noteDidWake, noteWillPowerOff}
)

// macEvent turns a notification's name into an event.
func macEvent(name string) (Event, bool) {
	switch name {
	case noteScreenIsLocked:
		return ScreenLocked, true
	case noteWillSleep:
		return Sleeping, true
	case noteDidWake:
		return Resumed, true
	case noteWillPowerOff:
		return SessionEnding, true
	}
	return 0, false
}
