package check

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestHasRunAgreesWithBruteForce checks removeRuns' cheap pre-test against
// comparing every pair of minRun-byte windows, on texts from a small
// alphabet in both cases so that runs of every length occur.
func TestHasRunAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	const alphabet = "abAB-_1"
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	brute := func(s, secret string) bool {
		for i := 0; i+minRun <= len(s); i++ {
			for j := 0; j+minRun <= len(secret); j++ {
				if strings.EqualFold(s[i:i+minRun], secret[j:j+minRun]) {
					return true
				}
			}
		}
		return false
	}
	seen := map[bool]int{}
	for range 20000 {
		s, secret := word(rng.IntN(30)), word(minRun+rng.IntN(30))
		want := brute(s, secret)
		seen[want]++
		if got := hasRun(s, secret); got != want {
			t.Fatalf("hasRun(%q, %q) = %v, want %v", s, secret, got, want)
		}
		// removeRuns leaves s alone exactly when no run is shared.
		if got := removeRuns(s, secret) != s; got != want {
			t.Fatalf("removeRuns(%q, %q) changed = %v, want %v", s, secret, got, want)
		}
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("the cases did not cover both answers: %v", seen)
	}
}
