package vault

import (
	"errors"
	"testing"
	"time"
)

func TestFavoriteSurvivesReopenAndKeepsUpdated(t *testing.T) {
	v, opts, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	mustAdd(t, v, "beta", "secret-beta-0002")
	c := mustAdd(t, v, "Charlie", "secret-charlie-0003")

	clock.Advance(time.Hour)
	for _, id := range []string{c.ID, a.ID} {
		e, err := v.SetFavorite(id, true)
		if err != nil || !e.Favorite {
			t.Fatalf("star: %+v %v", e.Name, err)
		}
		if !e.Updated.Equal(e.Created) {
			t.Fatalf("starring %q changed Updated", e.Name)
		}
	}
	v = reopen(t, v, opts)
	favs := v.Favorites()
	if len(favs) != 2 || favs[0].Name != "alpha" || favs[1].Name != "Charlie" {
		t.Fatalf("favourites after reopen: %d", len(favs))
	}
	if _, err := v.SetFavorite(a.ID, false); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, opts)
	if favs := v.Favorites(); len(favs) != 1 || favs[0].ID != c.ID {
		t.Fatalf("after unstarring: %d favourites", len(favs))
	}
	if e, _ := v.Get(a.ID); e.Favorite {
		t.Fatal("unstarred entry still a favourite")
	}
	if _, err := v.SetFavorite("nope", true); !errors.Is(err, ErrNotFound) {
		t.Fatalf("star missing: %v", err)
	}
}
