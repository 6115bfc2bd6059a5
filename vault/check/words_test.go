package check

import "testing"

func TestOutcomeWords(t *testing.T) {
	want := map[Outcome]string{Valid: "valid", Invalid: "invalid", NoCredit: "no credit",
		RateLimited: "rate limited", NoPermission: "no permission", Unknown: "could not check"}
	for _, o := range Outcomes {
		if got := o.Words(); got != want[o] {
			t.Errorf("%s.Words() = %q, want %q", o, got, want[o])
		}
	}
}
