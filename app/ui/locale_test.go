package ui

import (
	"os"
	"testing"
)

func TestDefaultLocale(t *testing.T) {
	cases := []struct {
		name                   string
		lcAll, lcMessages, lng string
		want                   [3]string // LC_ALL, LC_MESSAGES, LANG after the call
	}{
		{"unset", "", "", "", [3]string{"", "", "en_US.UTF-8"}},
		{"C", "", "", "C", [3]string{"", "", "en_US.UTF-8"}},
		{"C.UTF-8", "", "", "C.UTF-8", [3]string{"", "", "en_US.UTF-8"}},
		{"LC_ALL=POSIX", "POSIX", "", "de_DE.UTF-8", [3]string{"", "", "en_US.UTF-8"}},
		{"real LANG kept", "", "", "fr_FR.UTF-8", [3]string{"", "", "fr_FR.UTF-8"}},
		{"real LC_ALL kept", "de_DE.UTF-8", "", "C", [3]string{"de_DE.UTF-8", "", "C"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("LC_ALL", c.lcAll)
			t.Setenv("LC_MESSAGES", c.lcMessages)
			t.Setenv("LANG", c.lng)
			DefaultLocale()
			got := [3]string{os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")}
			if got != c.want {
				t.Errorf("after DefaultLocale: LC_ALL, LC_MESSAGES, LANG = %q, want %q", got, c.want)
			}
		})
	}
}
