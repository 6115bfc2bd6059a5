package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestAddAllIsAllOrNothing(t *testing.T) {
	v, _, _ := newVault(t)
	mustAdd(t, v, "existing", "secret-0000000001")
	_, err := v.AddAll([]Draft{{Name: "one", Secret: "s1"}, {Name: "ONE", Secret: "s2"}})
	if !errors.Is(err, ErrDuplicateName) || !strings.Contains(err.Error(), "key 2") {
		t.Fatalf("duplicate inside the batch: %v", err)
	}
	if _, err := v.AddAll([]Draft{{Name: "two", Secret: "s"}, {Name: "Existing", Secret: "s"}}); !errors.Is(err, ErrDuplicateName) {
		t.Fatalf("duplicate of an existing name: %v", err)
	}
	if v.Len() != 1 {
		t.Fatalf("a refused batch added entries: %d", v.Len())
	}
	rs, err := v.AddAll([]Draft{{Name: "a", Secret: " s\n"}, {Name: "b", Secret: "t"}})
	if err != nil || len(rs) != 2 || !rs[0].SecretTrimmed || rs[1].SecretTrimmed || v.Len() != 3 {
		t.Fatalf("batch: %+v %v", rs, err)
	}
}
