package ui

import "os"

// DefaultLocale sets LANG=en_US.UTF-8 when the environment names no usable
// locale, and does nothing when it does. Fyne reads the locale from LC_ALL,
// LC_MESSAGES and LANG (the first one set wins) and logs "Error parsing user
// locale C" when that is unset, "C", "POSIX" or "C.UTF-8" (test-env.md §3),
// the usual state of a container or a CI runner.
//
// Fyne's lang package already looks the locale up once while the program
// initialises, before main runs, so that first message can only be avoided
// from outside (`make run` sets LANG); DefaultLocale fixes the later lookups
// (widgets, fonts). Call it before the app is created. Not safe for
// concurrent use with other environment access.
func DefaultLocale() {
	for _, name := range localeVars {
		if v := os.Getenv(name); v != "" {
			if !isPOSIXLocale(v) {
				return // the first set variable wins, and it is a real locale
			}
			break
		}
	}
	for _, name := range localeVars {
		if isPOSIXLocale(os.Getenv(name)) {
			os.Unsetenv(name)
		}
	}
	os.Setenv("LANG", "en_US.UTF-8")
}

// localeVars are the variables Fyne's locale lookup reads, in its order.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

func isPOSIXLocale(v string) bool {
	switch v {
	case "C", "POSIX", "C.UTF-8", "C.utf8":
		return true
	}
	return false
}
