package viewmodel

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"parley/app/store"
	"parley/net/key"
	"parley/net/tox"
)

// Presence is what the dot next to a friend shows.
type Presence uint8

// Presences.
const (
	Offline Presence = iota
	Online
	Away
	Busy
)

// String names the presence.
func (p Presence) String() string {
	return [...]string{"offline", "online", "away", "busy"}[p]
}

func presenceOf(online bool, s tox.UserStatus) Presence {
	switch {
	case !online:
		return Offline
	case s == tox.StatusAway:
		return Away
	case s == tox.StatusBusy:
		return Busy
	}
	return Online
}

// Friend is one row of the friend list.
type Friend struct {
	PK            key.PublicKey
	Name          string
	StatusMessage string
	Online        bool
	UserStatus    tox.UserStatus
	Typing        bool
	Pending       bool          // our friend request is not accepted yet
	Unread        int           // messages received since the chat was last open
	Last          store.Message // the newest message; ID 0 when none
	Activity      time.Time     // when the newest message came or went
	Link          string        // the friend's address while connected: direct UDP, or "tcp via <relay>"
	Relayed       bool          // the connection runs through a TCP relay
}

// Presence is the friend's dot.
func (f Friend) Presence() Presence { return presenceOf(f.Online, f.UserStatus) }

// DisplayName is the friend's name, or the start of their key when they
// have told us none yet.
func (f Friend) DisplayName() string {
	if strings.TrimSpace(f.Name) != "" {
		return f.Name
	}
	return f.PK.Short()
}

// Preview is the last-message line of the friend list.
func (f Friend) Preview() string {
	if f.Last.ID == 0 {
		if f.Pending {
			return "Friend request sent"
		}
		return f.StatusMessage
	}
	t := strings.Join(strings.Fields(f.Last.Text), " ")
	if f.Last.Action {
		t = "* " + t
	}
	if f.Last.Outgoing {
		t = "You: " + t
	}
	return t
}

// Initials are up to two letters of a name, for an avatar.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// Request is an incoming friend request.
type Request struct {
	From    key.PublicKey
	Message string
}

// Self is our own identity.
type Self struct {
	ID            key.ToxID
	Name          string
	StatusMessage string
	Status        tox.UserStatus
}

// Invitation is the ready-to-paste text "Share" copies.
func (s Self) Invitation() string {
	name := s.Name
	if name == "" {
		name = "me"
	}
	return "Chat with " + name + " on Tox, the private peer-to-peer messenger.\n" +
		"Add my Tox ID in Parley, qTox or any Tox client:\n" + s.ID.String() + "\n" +
		"or open " + s.ID.URI()
}

// Network is the status bar.
type Network struct {
	Online bool // announced on the onion: friends can find us
	DHT    bool // a DHT node answers
	Nodes  int  // good DHT nodes
}

// String is the status bar text.
func (n Network) String() string {
	switch {
	case n.Online:
		return "Online"
	case n.Nodes == 1:
		return "Connecting… 1 node"
	}
	return "Connecting… " + strconv.Itoa(n.Nodes) + " nodes"
}

// Change says what part of the state changed.
type Change uint16

// Changes, combined as bits.
const (
	ChangedSelf Change = 1 << iota
	ChangedFriends
	ChangedRequests
	ChangedChat
	ChangedNetwork
)
