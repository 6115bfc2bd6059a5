// Package fakekeys makes the fake keys of the measurement vaults
// (e2e/cmd/mkvault for Keyshelf, e2e/cmd/mkkeepass for KeePassXC), so that
// both peers are measured on the same names and key lengths.
package fakekeys

import (
	"crypto/rand"
	"fmt"
)

// kinds are the shapes of the fake keys: a name prefix, a key prefix and
// the length of the random tail.
var kinds = []struct {
	name, prefix string
	tail         int
}{
	{"OpenAI", "sk-proj-FAKE", 120},
	{"Anthropic", "sk-ant-api03-FAKE", 90},
	{"GitHub", "ghp_FAKE", 32},
	{"Stripe", "sk_live_FAKE", 95},
	{"Groq", "gsk_FAKE", 48},
	{"Hugging Face", "hf_FAKE", 30},
	{"Slack", "xoxb-FAKE", 50},
	{"Custom service", "FAKE-", 40},
}

// Key is the i-th fake key (from 0): its name, "<Provider> <number>", and
// random test data behind a real provider's prefix, with "FAKE" in it.
func Key(i int) (name, secret string) {
	k := kinds[i%len(kinds)]
	return fmt.Sprintf("%s %05d", k.name, i+1), k.prefix + RandomText(k.tail)
}

// RandomText is n random letters and digits.
func RandomText(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}
