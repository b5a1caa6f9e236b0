package cli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"parley/net/key"
	"parley/net/tox"
)

// The JSON-lines protocol of `parley headless` (README "Headless mode and
// scripting"): one command object per stdin line, one reply or event object
// per stdout line. This file holds the pure half: decoding a command line,
// and the ordered objects replies and events are encoded as.

// command is one decoded stdin line. Pointer fields tell "absent" from the
// zero value where that matters.
type command struct {
	ID        json.RawMessage `json:"id,omitempty"`
	Cmd       string          `json:"cmd"`
	ToxID     string          `json:"tox_id,omitempty"`
	Message   *string         `json:"message,omitempty"`
	PublicKey string          `json:"public_key,omitempty"`
	Text      *string         `json:"text,omitempty"`
	Action    bool            `json:"action,omitempty"`
	Name      *string         `json:"name,omitempty"`
	Status    string          `json:"status,omitempty"`
	// StatusMessage is the text of the status_message command.
	StatusMessage *string `json:"status_message,omitempty"`
	Typing        *bool   `json:"typing,omitempty"`
	Nospam        *string `json:"nospam,omitempty"`
	Path          string  `json:"path,omitempty"`
	Passphrase    string  `json:"passphrase,omitempty"`
	Overwrite     bool    `json:"overwrite,omitempty"`
}

// Command names.
const (
	cmdID            = "id"
	cmdAdd           = "add"
	cmdAccept        = "accept"
	cmdDecline       = "decline"
	cmdRemove        = "remove"
	cmdSend          = "send"
	cmdName          = "name"
	cmdStatusMessage = "status_message"
	cmdStatus        = "status"
	cmdTyping        = "typing"
	cmdNospam        = "nospam"
	cmdFriends       = "friends"
	cmdRequests      = "requests"
	cmdExport        = "export"
	cmdQuit          = "quit"
	cmdQueue         = "queue"
	cmdOutbox        = "outbox"
)

var commandNames = []string{cmdID, cmdAdd, cmdAccept, cmdDecline, cmdRemove, cmdSend, cmdName,
	cmdStatusMessage, cmdStatus, cmdTyping, cmdNospam, cmdFriends, cmdRequests, cmdExport, cmdQuit,
	cmdQueue, cmdOutbox}

// replyInvalid is the "reply" of a line that is not a command object.
const replyInvalid = "invalid"

// errBadCommand marks a line that could not be decoded as a command.
var errBadCommand = errors.New("bad command")

// parseCommand decodes one line. On error the returned command still holds
// whatever id and cmd could be read, so the error reply can echo them.
func parseCommand(line []byte) (command, error) {
	var head struct {
		ID  json.RawMessage `json:"id"`
		Cmd any             `json:"cmd"`
	}
	line = bytes.TrimSpace(line)
	if err := json.Unmarshal(line, &head); err != nil {
		return command{Cmd: replyInvalid}, fmt.Errorf("%w: not a JSON object: %v", errBadCommand, jsonReason(err))
	}
	c := command{ID: head.ID, Cmd: replyInvalid}
	if head.ID != nil && (head.ID[0] == '{' || head.ID[0] == '[') {
		c.ID = nil
		return c, fmt.Errorf("%w: \"id\" must be a string or a number", errBadCommand)
	}
	name, ok := head.Cmd.(string)
	if !ok || name == "" {
		return c, fmt.Errorf("%w: \"cmd\" must name a command (%s)", errBadCommand, strings.Join(commandNames, ", "))
	}
	c.Cmd = name
	known := false
	for _, n := range commandNames {
		known = known || n == name
	}
	if !known {
		return c, fmt.Errorf("%w: unknown command %q (known: %s)", errBadCommand, name, strings.Join(commandNames, ", "))
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	var full command
	if err := d.Decode(&full); err != nil {
		return c, fmt.Errorf("%w: %v", errBadCommand, jsonReason(err))
	}
	return full, nil
}

// jsonReason rewords encoding/json's errors for a script author.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Sprintf("a command is a JSON object, got a %s", te.Value)
		}
		return fmt.Sprintf("field %q must be a %s, got a %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "bool":
		return "boolean (true or false)"
	case "ptr":
		return "value of another type"
	}
	return goKind
}

// parsePeerKey reads the "public_key" of a command: 64 hex digits, or a
// whole Tox ID (76 hex digits, optionally a tox: URI) whose key is taken.
func parsePeerKey(s string) (key.PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return key.PublicKey{}, errors.New("\"public_key\" is missing")
	}
	if len(s) == 2*key.Size {
		pk, err := key.ParsePublicKey(s)
		if err != nil {
			return pk, errors.New("\"public_key\" must be 64 hexadecimal characters")
		}
		return pk, nil
	}
	id, err := key.ParseToxID(s)
	if err != nil {
		return key.PublicKey{}, fmt.Errorf("\"public_key\" is neither 64 hexadecimal characters nor a Tox ID: %w", err)
	}
	return id.PublicKey, nil
}

// parseNospam reads 8 hex digits.
func parseNospam(s string) (key.Nospam, error) {
	var n key.Nospam
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != len(n) {
		return n, fmt.Errorf("\"nospam\" must be 8 hexadecimal characters, got %q", s)
	}
	copy(n[:], b)
	return n, nil
}

// User status names on the wire of this protocol.
var statusNames = map[tox.UserStatus]string{tox.StatusOnline: "online", tox.StatusAway: "away", tox.StatusBusy: "busy"}

func statusName(s tox.UserStatus) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return s.String()
}

func parseStatus(s string) (tox.UserStatus, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "online", "none", "available":
		return tox.StatusOnline, nil
	case "away":
		return tox.StatusAway, nil
	case "busy":
		return tox.StatusBusy, nil
	}
	return 0, fmt.Errorf("\"status\" must be online, away or busy, got %q", s)
}

// field is one member of an ordered JSON object.
type field struct {
	k string
	v any
}

// object is a JSON object whose members keep their order, so that every
// reply and event starts with "reply" or "event" and golden lines are
// stable.
type object []field

// MarshalJSON encodes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalNoEscape(f.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(f.v)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", f.k, err)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalNoEscape is json.Marshal without HTML escaping (<, > and & stay
// as they are: the output is read by programs, not browsers), and without
// the trailing newline of an Encoder.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// encodeLine encodes o as one line, newline included.
func encodeLine(o object) ([]byte, error) {
	b, err := marshalNoEscape(o)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// okReply starts a successful reply to c; fields follow.
func okReply(c command, fields ...field) object {
	o := object{{"reply", c.Cmd}}
	if c.ID != nil {
		o = append(o, field{"id", c.ID})
	}
	o = append(o, field{"ok", true})
	return append(o, fields...)
}

// errReply is a failed reply to c.
func errReply(c command, err error) object {
	o := object{{"reply", c.Cmd}}
	if c.ID != nil {
		o = append(o, field{"id", c.ID})
	}
	return append(o, field{"ok", false}, field{"error", errorText(err)})
}

// errorText is the human-readable text of err, without the package
// prefixes ("friend: ", "profile: ") the lower layers put in front of
// their sentinels, at the start or after a ": ".
func errorText(err error) string {
	s := err.Error()
	for _, p := range []string{"bad command: ", "friend: ", "profile: "} {
		s = strings.TrimPrefix(s, p)
		s = strings.ReplaceAll(s, ": "+p, ": ")
	}
	return s
}

// event starts an event object; fields follow.
func event(name string, fields ...field) object {
	return append(object{{"event", name}}, fields...)
}
