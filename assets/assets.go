// Package assets holds the application's embedded images. It imports nothing
// from Fyne so that any package can use the raw bytes (wrap them with
// fyne.NewStaticResource where a fyne.Resource is needed).
package assets

import _ "embed"

// Icon is the 512x512 application icon (PNG, transparent background).
//
//go:embed icon.png
var Icon []byte

// TrayIcon is the 64x64 system tray icon shown while the vault is unlocked (PNG).
//
//go:embed icon-tray.png
var TrayIcon []byte

// TrayLockedIcon is the 64x64 system tray icon shown while the vault is locked (PNG).
//
//go:embed icon-locked.png
var TrayLockedIcon []byte
