package importers

import (
	"errors"
	"testing"
)

// A 1Password 8 CSV export as its documented layout has it: Login items
// (user name, address) beside Password items holding keys.
const opCSV = "\ufeffTitle,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\r\n" +
	"GitHub,https://github.com,octo,Hunter2-long-password,,true,false,,\r\n" +
	"OpenAI prod,,,sk-proj-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP,,false,false,\"ai,work\",\"Billing: team\nRotate in March\"\r\n" +
	"Internal API token,,,Zq9vXw2LmN4bT7yR1cK8pD3sF6gH0jA5,,false,false,,\r\n" +
	"Old key,,,sk-proj-oldoldoldoldoldoldoldoldoldoldoldoldold0,,false,true,,\r\n" +
	"Wi-Fi,,,correct horse battery,,false,false,,\r\n"

func TestFrom1PasswordCSV(t *testing.T) {
	got, err := From1PasswordCSV([]byte(opCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d candidates, want 4 (the archived item left out)", len(got))
	}
	by := byName(got)
	if c := by["GitHub"]; c.Key {
		t.Errorf("the website login is a key: %s", c.Why)
	}
	c := by["OpenAI prod"]
	if !c.Key || c.Provider != "openai" || c.Notes != "Billing: team\nRotate in March" || len(c.Tags) != 2 || c.Source != "line 3" {
		t.Errorf("OpenAI prod = key %v provider %q notes %q tags %q source %q", c.Key, c.Provider, c.Notes, c.Tags, c.Source)
	}
	if c := by["Internal API token"]; !c.Key {
		t.Errorf("a Password item titled token is not a key: %s", c.Why)
	}
	if c := by["Wi-Fi"]; c.Key {
		t.Errorf("a Wi-Fi passphrase is a key")
	}
	if Sniff([]byte(opCSV)) != Format1PasswordCSV {
		t.Errorf("Sniff does not recognise the 1Password CSV")
	}
}

func TestFrom1PasswordCSVErrors(t *testing.T) {
	for _, data := range []string{"", "Name,Value\nx,y\n", "Title,Password\n\"unterminated,x\n"} {
		if _, err := From1PasswordCSV([]byte(data)); !errors.Is(err, ErrFormat) {
			t.Errorf("From1PasswordCSV(%q) = %v, want ErrFormat", data, err)
		}
	}
}

func FuzzOnePasswordCSV(f *testing.F) {
	f.Add([]byte(opCSV))
	f.Add([]byte("Title,Password\n\"unclosed,x\n"))
	f.Add([]byte("title,password,archived\nx,,true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := From1PasswordCSV(data)
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.Secret == "" || c.Name == "" {
				t.Fatalf("a candidate without a value or a name: %+v", c.Source)
			}
		}
	})
}
