package gui

import "runtime/debug"

// freeOSMemory returns freed memory to the operating system at once; tests
// replace it to count the calls.
var freeOSMemory = debug.FreeOSMemory

// releaseMemory hands back, off the UI goroutine, what an unlock leaves
// behind: Argon2id's 64 MiB of working memory and the garbage of decrypting
// and decoding the vault. Go's runtime would return it only slowly, so a
// tray app that unlocked once would keep it for minutes.
func (u *UI) releaseMemory() { u.cfg.Go(freeOSMemory) }
