package keychain

import "sync"

// Memory is an in-process keychain for tests and for running without a
// system keychain. Fail, when set, is returned by every call.
type Memory struct {
	mu    sync.Mutex
	items map[string]string
	Fail  error
}

// Get implements Keychain.
func (m *Memory) Get(user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	v, ok := m.items[user]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements Keychain.
func (m *Memory) Set(user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if m.items == nil {
		m.items = map[string]string{}
	}
	m.items[user] = secret
	return nil
}

// Delete implements Keychain.
func (m *Memory) Delete(user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if _, ok := m.items[user]; !ok {
		return ErrNotFound
	}
	delete(m.items, user)
	return nil
}

// Len reports how many items m holds.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
