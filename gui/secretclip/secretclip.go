// Package secretclip puts a key on the system clipboard marked as a secret,
// where the platform has such a mark, so that clipboard managers and
// clipboard history leave it out.
//
// On X11 (Linux and the BSDs) the program owns the CLIPBOARD selection
// itself and offers, next to the text, the x-kde-passwordManagerHint target
// with the value "secret", which KDE's Klipper and other clipboard managers
// (CopyQ among them) read as "do not keep this"; KeePassXC sets the same
// hint. On a Wayland session the same goes through XWayland, which offers
// the selection and its types to Wayland programs. On Windows a copy carries the formats that keep it out of the
// clipboard history (Win+V) and off the cloud clipboard
// (ExcludeClipboardContentFromMonitorProcessing, CanIncludeInClipboardHistory
// and CanUploadToCloudClipboard set to 0), as KeePassXC's do. Other systems
// have no implementation here yet (New returns ErrUnsupported) and the
// caller uses its ordinary clipboard: macOS's concealed pasteboard type is
// not done.
package secretclip

import "errors"

// ErrUnsupported is returned by New where this package cannot mark the
// clipboard: another system, or no X display (a Wayland session without
// XWayland).
var ErrUnsupported = errors.New("secretclip: no secret clipboard on this system")

// HintTarget is the clipboard target (MIME type) that marks the content as
// a secret, and HintValue its value.
const (
	HintTarget = "x-kde-passwordManagerHint"
	HintValue  = "secret"
)
