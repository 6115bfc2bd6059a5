package check

// Words is the outcome as people read it, the same in the window and on
// the command line: "valid", "invalid", "no credit", "rate limited", "no
// permission", "could not check". The Outcome itself stays the machine
// value stored in the vault and printed in JSON.
func (o Outcome) Words() string {
	switch o {
	case NoCredit:
		return "no credit"
	case RateLimited:
		return "rate limited"
	case NoPermission:
		return "no permission"
	case Unknown:
		return "could not check"
	}
	return string(o)
}
