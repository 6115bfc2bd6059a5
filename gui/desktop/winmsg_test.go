package desktop

import "testing"

func TestWindowsEvent(t *testing.T) {
	for _, c := range []struct {
		msg    uint32
		wParam uintptr
		want   Event // 0: no event
	}{
		{0x02B1, 0x7, ScreenLocked},  // WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK
		{0x02B1, 0x8, 0},             // WTS_SESSION_UNLOCK
		{0x02B1, 0x6, SessionEnding}, // WTS_SESSION_LOGOFF
		{0x02B1, 0x5, 0},             // WTS_SESSION_LOGON
		{0x02B1, 0x2, 0},             // WTS_CONSOLE_DISCONNECT
		{0x0218, 0x4, Sleeping},      // WM_POWERBROADCAST, PBT_APMSUSPEND
		{0x0218, 0x7, Resumed},       // PBT_APMRESUMESUSPEND
		{0x0218, 0x12, Resumed},      // PBT_APMRESUMEAUTOMATIC
		{0x0218, 0xA, 0},             // PBT_APMPOWERSTATUSCHANGE
		{0x0218, 0x8013, 0},          // PBT_POWERSETTINGCHANGE
		{0x0011, 0, SessionEnding},   // WM_QUERYENDSESSION
		{0x0016, 1, SessionEnding},   // WM_ENDSESSION, ending
		{0x0016, 0, 0},               // WM_ENDSESSION, cancelled
		{0x0010, 0, 0},               // WM_CLOSE
		{0x0012, 0, 0},               // WM_QUIT
		{0x0007, 0x7, 0},             // WM_SETFOCUS: a WTS code in another message
	} {
		e, ok := windowsEvent(c.msg, c.wParam)
		if !ok {
			e = 0
		}
		if e != c.want {
			t.Errorf("message %#x, wParam %#x: %v, want %v", c.msg, c.wParam, e, c.want)
		}
	}
}
