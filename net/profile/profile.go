package profile

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"

	"parley/net/key"
	"parley/net/wire"
)

// nospamKeysSize is the NOSPAMKEYS section: nospam | pk | sk.
const nospamKeysSize = 4 + key.Size + key.Size

// Profile is the content of a .tox profile. It is plain data, not safe for
// concurrent use. The zero value has no keys and cannot be saved; use New or
// Parse.
type Profile struct {
	Keys          key.Pair   // the long-term key pair of the Tox ID
	Nospam        key.Nospam // the address bytes of the nospam
	Name          string     // at most MaxNameLength bytes
	StatusMessage string     // at most MaxStatusMessageLength bytes
	Status        UserStatus
	Friends       []Friend
	// Routing hints saved for a fast start: DHT nodes (UDP only), TCP
	// relays, and onion path nodes (UDP only).
	DHTNodes  []wire.Node
	TCPRelays []wire.Node
	PathNodes []wire.Node
	// Other holds, in file order, the sections Parley does not interpret
	// (CONFERENCES, types of later toxcore versions). Their Data aliases
	// memory Parse owns; replace a slice rather than writing into it. If
	// entries are removed, the rest move up into the earliest places.
	Other []Section
	// Checksum makes AppendBinary end the file with Parley's checksum
	// trailer; Parse sets it when the file has one, New sets it.
	Checksum bool

	layout []slot // the sections as Parse found them; nil for a new profile
	pad    int    // zero bytes after END, restored when Checksum is off
}

// slot is one section in file order: a known one with the bytes it was
// read from, or the place of the next entry of Other.
type slot struct {
	typ   SectionType
	raw   []byte
	other bool
}

// New returns a profile with a new key pair and a random nospam, read from
// r (crypto/rand when nil).
func New(r io.Reader) (*Profile, error) {
	if r == nil {
		r = rand.Reader
	}
	pair, err := key.NewPair(r)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p := &Profile{Keys: pair, Checksum: true}
	if _, err := io.ReadFull(r, p.Nospam[:]); err != nil {
		return nil, fmt.Errorf("profile: reading randomness: %w", err)
	}
	return p, nil
}

// Address returns the profile's Tox ID.
func (p *Profile) Address() key.ToxID {
	return key.ToxID{PublicKey: p.Keys.Public, Nospam: p.Nospam}
}

// Parse decodes a plain profile. The result does not alias b. An encrypted
// profile gives ErrEncrypted; decrypt it first (Decrypt, PassKey.Decrypt)
// or use Load. Errors wrap ErrNotProfile, ErrTruncated, ErrCorrupt or
// ErrKeyMismatch; the last three come as a *FormatError.
func Parse(b []byte) (*Profile, error) {
	if IsEncrypted(b) {
		return nil, ErrEncrypted
	}
	if len(b) > 0 && len(b) < len(encMagic) && bytes.HasPrefix([]byte(encMagic), b) {
		return nil, fmt.Errorf("%w: %d bytes of an encrypted profile's header", ErrTruncated, len(b))
	}
	b = bytes.Clone(b)
	secs, end, err := walk(b)
	if err != nil {
		return nil, err
	}
	p := &Profile{}
	if p.pad, p.Checksum, err = parseTail(b, end); err != nil {
		return nil, err
	}
	p.layout = make([]slot, 0, len(secs))
	var seen [TypePathNode + 1]bool
	for _, s := range secs {
		data := s.data[:len(s.data):len(s.data)]
		if !s.typ.known() {
			p.Other = append(p.Other, Section{Type: s.typ, Data: data})
			p.layout = append(p.layout, slot{typ: s.typ, other: true})
			continue
		}
		if seen[s.typ] {
			return nil, corrupt(s.typ, s.off-headerSize, "a second %s section", s.typ)
		}
		seen[s.typ] = true
		if err := p.decode(s.typ, data, s.off); err != nil {
			return nil, err
		}
		p.layout = append(p.layout, slot{typ: s.typ, raw: data})
	}
	if !seen[TypeNospamKeys] {
		return nil, corrupt(0, headerSize, "no NOSPAMKEYS section: the profile holds no keys")
	}
	return p, nil
}

// decode sets the fields of known section t from its data at offset off.
func (p *Profile) decode(t SectionType, data []byte, off int) error {
	switch t {
	case TypeNospamKeys:
		if len(data) != nospamKeysSize {
			return corrupt(t, off, "%d bytes, want %d", len(data), nospamKeysSize)
		}
		copy(p.Nospam[:], data)
		var pk key.PublicKey
		var sk key.SecretKey
		copy(pk[:], data[4:])
		copy(sk[:], data[4+key.Size:])
		p.Keys = key.PairFromSecret(sk)
		if p.Keys.Public != pk {
			return &FormatError{Section: t, Offset: off + 4, Reason: "saved public key " + pk.Short() + ", secret key gives " + p.Keys.Public.Short(), Err: ErrKeyMismatch}
		}
	case TypeDHT:
		p.DHTNodes = parseDHT(data)
	case TypeFriends:
		fs, err := parseFriends(data, off)
		if err != nil {
			return err
		}
		p.Friends = fs
	case TypeName:
		if len(data) > MaxNameLength {
			return corrupt(t, off, "name of %d bytes, at most %d", len(data), MaxNameLength)
		}
		p.Name = string(data)
	case TypeStatusMessage:
		if len(data) > MaxStatusMessageLength {
			return corrupt(t, off, "status message of %d bytes, at most %d", len(data), MaxStatusMessageLength)
		}
		p.StatusMessage = string(data)
	case TypeStatus:
		if len(data) != 1 {
			return corrupt(t, off, "%d bytes, want 1", len(data))
		}
		p.Status = UserStatus(data[0])
	case TypeTCPRelay:
		p.TCPRelays = parseNodes(data, true)
	case TypePathNode:
		p.PathNodes = parseNodes(data, false)
	}
	return nil
}

// MarshalBinary returns the plain profile; see AppendBinary.
func (p *Profile) MarshalBinary() ([]byte, error) { return p.AppendBinary(nil) }

// AppendBinary appends the plain profile to b. A profile from Parse comes
// out in its section order, and every section whose value did not change
// with its original bytes (see the package doc). Errors wrap ErrInvalid or
// ErrKeyMismatch.
func (p *Profile) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, fileCookie)
	layout := p.layout
	if layout == nil {
		for _, t := range knownOrder {
			layout = append(layout, slot{typ: t})
		}
	}
	var err error
	var done [TypePathNode + 1]bool
	other := 0
	for _, s := range layout {
		if s.other {
			if other < len(p.Other) {
				if b, err = p.appendOther(b, other); err != nil {
					return b[:start], err
				}
				other++
			}
			continue
		}
		if b, err = p.appendKnown(b, s.typ, s.raw); err != nil {
			return b[:start], err
		}
		done[s.typ] = true
	}
	for _, t := range knownOrder {
		if !done[t] && p.has(t) {
			if b, err = p.appendKnown(b, t, nil); err != nil {
				return b[:start], err
			}
		}
	}
	for ; other < len(p.Other); other++ {
		if b, err = p.appendOther(b, other); err != nil {
			return b[:start], err
		}
	}
	b = appendHeader(b, sectionCookie, uint16(TypeEnd), 0)
	if p.Checksum {
		return append(b, checksumTrailer(b[start:])...), nil
	}
	return append(b, make([]byte, p.pad)...), nil
}

// appendOther appends p.Other[i].
func (p *Profile) appendOther(b []byte, i int) ([]byte, error) {
	s := p.Other[i]
	if s.Type.known() || s.Type == TypeEnd {
		return b, invalid(s.Type, "Other[%d] has a type Parley writes itself", i)
	}
	return appendSection(b, s.Type, s.Data)
}

// appendKnown appends known section t: raw when the fields still hold what
// raw decodes to, else freshly encoded.
func (p *Profile) appendKnown(b []byte, t SectionType, raw []byte) ([]byte, error) {
	if raw != nil && p.same(t, raw) {
		return appendSection(b, t, raw)
	}
	hdr := len(b)
	b = appendHeader(b, sectionCookie, uint16(t), 0)
	b, err := p.appendData(b, t)
	if err != nil {
		return b, err
	}
	n := len(b) - hdr - headerSize
	if uint64(n) > math.MaxUint32 {
		return b, invalid(t, "%d bytes do not fit a section", n)
	}
	binary.LittleEndian.PutUint32(b[hdr:], uint32(n))
	return b, nil
}

// appendData appends the data of known section t.
func (p *Profile) appendData(b []byte, t SectionType) ([]byte, error) {
	switch t {
	case TypeNospamKeys:
		if key.PairFromSecret(p.Keys.Secret).Public != p.Keys.Public {
			return b, fmt.Errorf("%w: Keys.Public %s", ErrKeyMismatch, p.Keys.Public.Short())
		}
		b = append(b, p.Nospam[:]...)
		b = append(b, p.Keys.Public[:]...)
		return append(b, p.Keys.Secret[:]...), nil
	case TypeDHT:
		return appendDHT(b, p.DHTNodes)
	case TypeFriends:
		return appendFriends(b, p.Friends)
	case TypeName:
		if len(p.Name) > MaxNameLength {
			return b, invalid(t, "name of %d bytes, at most %d", len(p.Name), MaxNameLength)
		}
		return append(b, p.Name...), nil
	case TypeStatusMessage:
		if len(p.StatusMessage) > MaxStatusMessageLength {
			return b, invalid(t, "status message of %d bytes, at most %d", len(p.StatusMessage), MaxStatusMessageLength)
		}
		return append(b, p.StatusMessage...), nil
	case TypeStatus:
		return append(b, byte(p.Status)), nil
	case TypeTCPRelay:
		return appendNodes(b, t, p.TCPRelays)
	case TypePathNode:
		return appendUDPNodes(b, t, p.PathNodes)
	}
	return b, invalid(t, "not a section Parley writes")
}

// has reports whether known section t holds anything; a parsed profile
// that lacked t gets it only then.
func (p *Profile) has(t SectionType) bool {
	switch t {
	case TypeNospamKeys:
		return true
	case TypeDHT:
		return len(p.DHTNodes) > 0
	case TypeFriends:
		return len(p.Friends) > 0
	case TypeName:
		return p.Name != ""
	case TypeStatusMessage:
		return p.StatusMessage != ""
	case TypeStatus:
		return p.Status != StatusNone
	case TypeTCPRelay:
		return len(p.TCPRelays) > 0
	case TypePathNode:
		return len(p.PathNodes) > 0
	}
	return false
}

// same reports whether p's fields for section t equal what raw decodes to.
func (p *Profile) same(t SectionType, raw []byte) bool {
	var q Profile
	if q.decode(t, raw, 0) != nil {
		return false
	}
	switch t {
	case TypeNospamKeys:
		return q.Keys == p.Keys && q.Nospam == p.Nospam
	case TypeDHT:
		return slices.Equal(q.DHTNodes, p.DHTNodes)
	case TypeFriends:
		return slices.Equal(q.Friends, p.Friends)
	case TypeName:
		return q.Name == p.Name
	case TypeStatusMessage:
		return q.StatusMessage == p.StatusMessage
	case TypeStatus:
		return q.Status == p.Status
	case TypeTCPRelay:
		return slices.Equal(q.TCPRelays, p.TCPRelays)
	case TypePathNode:
		return slices.Equal(q.PathNodes, p.PathNodes)
	}
	return false
}
