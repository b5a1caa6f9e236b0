package toxtest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"parley/net/key"
)

// Event is one unsolicited line from a toxpeer, such as
// "friend_connection 0 udp".
type Event struct {
	Name string
	Args []string
	// At is when the peer printed the line, on its own clock, counted from
	// the start of its process.
	At time.Duration
	// Line is the line as printed.
	Line string
	// Seq is the event's position in the peer's event stream, from 0.
	Seq int
}

// ErrNoArg means an event has fewer arguments than asked for.
var ErrNoArg = errors.New("toxtest: event has no such argument")

// Arg returns argument i, or "" when there is none.
func (e Event) Arg(i int) string {
	if i < 0 || i >= len(e.Args) {
		return ""
	}
	return e.Args[i]
}

func (e Event) arg(i int) (string, error) {
	if i < 0 || i >= len(e.Args) {
		return "", fmt.Errorf("%w: %d in %q", ErrNoArg, i, e.Line)
	}
	return e.Args[i], nil
}

// Bytes decodes hex argument i.
func (e Event) Bytes(i int) ([]byte, error) {
	a, err := e.arg(i)
	if err != nil {
		return nil, err
	}
	return Unhex(a)
}

// Text decodes hex argument i as a string (message text, names, log text).
func (e Event) Text(i int) (string, error) {
	b, err := e.Bytes(i)
	return string(b), err
}

// Uint parses decimal argument i (friend numbers, message ids, ports).
func (e Event) Uint(i int) (uint32, error) {
	a, err := e.arg(i)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(a, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("toxtest: argument %d of %q: %w", i, e.Line, err)
	}
	return uint32(v), nil
}

// PublicKey parses argument i as a 64-hex-digit key.
func (e Event) PublicKey(i int) (key.PublicKey, error) {
	a, err := e.arg(i)
	if err != nil {
		return key.PublicKey{}, err
	}
	return key.ParsePublicKey(a)
}

// String is the event as printed, with hex text decoded where known.
func (e Event) String() string { return annotate(e.Line) }

// Is returns a matcher for Peer.Wait: events called name whose first
// arguments equal args. Hex compares without regard to case, so
// Is("message", "0", "normal", Hex("hi")) works.
func Is(name string, args ...string) func(Event) bool {
	return func(e Event) bool {
		if e.Name != name || len(e.Args) < len(args) {
			return false
		}
		for i, a := range args {
			if !strings.EqualFold(e.Args[i], a) {
				return false
			}
		}
		return true
	}
}

// Since restricts match to events from position seq on: pass Peer.Mark()
// taken before causing an event, or e.Seq+1 to look only after event e.
// Wait takes the oldest matching event, so without it a state seen earlier
// (typing 0 at connection) would satisfy a wait for a later change.
func Since(seq int, match func(Event) bool) func(Event) bool {
	return func(e Event) bool { return e.Seq >= seq && match(e) }
}

// parseLine splits "<ms> <word> <args...>". ok is false for lines that do
// not follow the protocol (they are kept for diagnostics only).
func parseLine(line string) (at time.Duration, word string, args []string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, "", nil, false
	}
	ms, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || ms < 0 {
		return 0, "", nil, false
	}
	return time.Duration(ms) * time.Millisecond, f[1], f[2:], true
}

// textArg says which argument of an event is hex text, so diagnostics can
// show it decoded.
var textArg = map[string]int{
	"friend_request":        1,
	"message":               2,
	"friend_name":           1,
	"friend_status_message": 1,
	"log":                   3,
}

// annotate appends the decoded text to lines that carry hex text.
func annotate(line string) string {
	_, word, args, ok := parseLine(line)
	if !ok {
		return line
	}
	i, known := textArg[word]
	if !known || i >= len(args) {
		return line
	}
	b, err := Unhex(args[i])
	if err != nil {
		return line
	}
	return fmt.Sprintf("%s  // %q", line, b)
}
