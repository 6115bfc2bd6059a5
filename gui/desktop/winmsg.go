package desktop

// The window messages that windows.go listens for, and their codes, from
// Microsoft's headers (WinUser.h, WtsApi32.h, pbt.h). They live in a file
// without a build constraint so that the mapping is tested on every system.
const (
	wmQueryEndSession  = 0x0011 // the session is asked whether it may end
	wmEndSession       = 0x0016 // wParam: whether the session really ends
	wmPowerBroadcast   = 0x0218 // wParam: a PBT_ code
	wmWTSSessionChange = 0x02B1 // wParam: a WTS_ code (needs WTSRegisterSessionNotification)

	wtsSessionLogoff = 0x6 // WTS_SESSION_LOGOFF
	wtsSessionLock   = 0x7 // WTS_SESSION_LOCK

	pbtAPMSuspend         = 0x04 // PBT_APMSUSPEND: about to sleep
	pbtAPMResumeSuspend   = 0x07 // PBT_APMRESUMESUSPEND: woke up for the user
	pbtAPMResumeAutomatic = 0x12 // PBT_APMRESUMEAUTOMATIC: woke up (every time)
)

// windowsEvent turns a message to the watcher's window into an event. A
// wake-up usually brings both resume codes; Resumed twice is harmless. An
// end of session that another program cancelled (WM_ENDSESSION with wParam
// FALSE) is no event, but the WM_QUERYENDSESSION before it already was one:
// locking early is the safe side.
func windowsEvent(msg uint32, wParam uintptr) (Event, bool) {
	switch msg {
	case wmWTSSessionChange:
		switch wParam {
		case wtsSessionLock:
			return ScreenLocked, true
		case wtsSessionLogoff:
			return SessionEnding, true
		}
	case wmPowerBroadcast:
		switch wParam {
		case pbtAPMSuspend:
			return Sleeping, true
		case pbtAPMResumeSuspend, pbtAPMResumeAutomatic:
			return Resumed, true
		}
	case wmQueryEndSession:
		return SessionEnding, true
	case wmEndSession:
		return SessionEnding, wParam != 0
	}
	return 0, false
}
