//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Supported reports whether Enable can work here.
const Supported = true

// runKey is the per-user Run key, which Explorer reads at login.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// Enable makes it start at login: a value named it.ID under the user's Run key.
func (it Item) Enable() error {
	cmd, err := RunCommand(it)
	if err != nil {
		return err
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if err := k.SetStringValue(it.ID, cmd); err != nil {
		return fmt.Errorf("write the login item: %w", err)
	}
	return nil
}

// Disable removes its value; there being none is no error.
func (it Item) Disable() error {
	if err := it.check(); err != nil {
		return err
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(it.ID); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("remove the login item: %w", err)
	}
	return nil
}

// Enabled reports whether its value is there and starts it.Exec with it.Args.
func (it Item) Enabled() (bool, error) {
	want, err := RunCommand(it)
	if err != nil {
		return false, err
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	got, _, err := k.GetStringValue(it.ID)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the login item: %w", err)
	}
	return got == want, nil
}
