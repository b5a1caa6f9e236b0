// Command demoprofile prepares the throwaway configuration directory that
// `make screenshot` (.ci/screenshot.sh) starts the real app with: a plain
// profile "Alice" (app/account) with five friends, a chat history
// (app/store) so the friend list has previews and one chat has bubbles in
// every delivery state, and settings.json (app/settings) with the theme
// asked for.
//
// Keys come from a fixed seed, so every run makes the same Tox IDs and the
// same QR code: the screenshots only change when the UI does.
//
//	go run ./.ci/demoprofile -dir "$XDG_CONFIG_HOME/parley" -theme dark
//
// It lives under .ci/ (ignored by ./...), so `make test` never builds it.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/net/key"
	"parley/net/profile"
)

// Name is the demo profile's name; the script selects it on the first-run
// screen.
const Name = "Alice"

type demoFriend struct {
	name, status string
	away         profile.UserStatus
}

var friends = []demoFriend{
	{"Bob Marsh", "Back from the mountains 🏔", profile.StatusNone},
	{"Carol Nguyen", "Reviewing the onion code", profile.StatusAway},
	{"Dave", "", profile.StatusBusy},
	{"Erin Okafor", "tox: the only messenger I trust", profile.StatusNone},
	{"Frank", "Offline until Monday", profile.StatusNone},
}

type line struct {
	friend   int
	outgoing bool
	action   bool
	text     string
	minutes  int // after 09:00 today
	state    store.State
}

// history: Bob's chat is the one the screenshots open.
var history = []line{
	{3, false, false, "Did you see the new release notes?", 2, store.Received},
	{3, true, false, "Yes! Group chats next, I hope.", 4, store.Delivered},
	{4, true, false, "See you on Monday then", 12, store.Delivered},
	{4, false, false, "Have a good weekend 👍", 13, store.Received},
	{2, false, false, "Can you send me the slides before the call?", 30, store.Received},
	{2, true, false, "Sure, in five minutes.", 31, store.Delivered},
	{1, false, false, "Lunch at the usual place?", 55, store.Received},
	{1, true, false, "Only if you're paying this time 😄", 57, store.Delivered},
	{0, false, false, "Hey Alice! I'm back in town.", 70, store.Received},
	{0, true, false, "Welcome back! How was the trip?", 71, store.Delivered},
	{0, false, false, "Amazing. Three days of hiking, no phone signal at all.\nI have so many photos to show you.", 73, store.Received},
	{0, false, true, "waves from the summit", 73, store.Received},
	{0, true, false, "Can't wait. Coffee tomorrow at ten?", 75, store.Delivered},
	{0, false, false, "Perfect, see you there ☕", 76, store.Received},
	{0, true, false, "I'll bring the map you lent me.", 78, store.Sent},
	{0, true, false, "And the book!", 79, store.Queued},
}

func main() {
	dir := flag.String("dir", "", "profiles directory to create (account.Dir layout)")
	theme := flag.String("theme", settings.ThemeLight, "theme: system, light or dark")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "demoprofile: -dir is required")
		os.Exit(2)
	}
	if err := run(*dir, *theme); err != nil {
		fmt.Fprintln(os.Stderr, "demoprofile:", err)
		os.Exit(1)
	}
}

func run(dir, theme string) error {
	s := settings.Default()
	s.Theme = theme
	s.Network.LANDiscovery = false // the screenshots show no stray peers
	if err := settings.Save(dir, s); err != nil {
		return err
	}
	if _, err := os.Stat(dir + "/" + Name + account.Ext); err == nil {
		return nil // made by an earlier run: only the settings change
	}
	rng := rand.NewChaCha8([32]byte{'p', 'a', 'r', 'l', 'e', 'y', '-', 'd', 'e', 'm', 'o'})
	acct, err := account.Create(dir, Name, "")
	if err != nil {
		return err
	}
	self, err := key.NewPair(rng)
	if err != nil {
		return err
	}
	pks := make([]key.PublicKey, len(friends))
	for i := range pks {
		p, err := key.NewPair(rng)
		if err != nil {
			return err
		}
		pks[i] = p.Public
	}
	err = acct.Update(func(p *profile.Profile) {
		p.Keys = self
		p.Nospam = key.Nospam{0x50, 0x41, 0x52, 0x4c}
		p.StatusMessage = "Writing a Tox client in Go"
		for i, f := range friends {
			p.Friends = append(p.Friends, profile.Friend{
				Status: profile.FriendConfirmed, PublicKey: pks[i],
				Name: f.name, StatusMessage: f.status, UserStatus: f.away,
			})
		}
	})
	if err != nil {
		return err
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		return err
	}
	y, mo, d := time.Now().Date()
	nine := time.Date(y, mo, d, 9, 0, 0, 0, time.Local)
	for _, l := range history {
		_, err := st.Add(store.Message{Friend: pks[l.friend], Outgoing: l.outgoing, Action: l.action,
			Text: l.text, Time: nine.Add(time.Duration(l.minutes) * time.Minute), State: l.state})
		if err != nil {
			st.Close()
			return err
		}
	}
	return st.Close()
}
