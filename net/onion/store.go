package onion

import (
	"net/netip"
	"slices"
	"time"

	"parley/net/key"
)

// entry is one announced key in the announce store.
type entry struct {
	pk      key.PublicKey // the announcer's key (their long-term pk)
	dataPK  key.PublicKey // the key friends box onion data to
	retAddr netip.AddrPort
	ret     [Return3Size]byte // the return path to the announcer
	time    time.Time
}

// store is the announce server's table (tox-protocol.md §5.3): at most 160
// entries, kept sorted closest first by XOR distance to our DHT key, each
// living 300 s after its last announce. When full, a new key replaces the
// farthest entry only if it is closer.
type store struct {
	base    key.PublicKey
	entries []entry
}

func (s *store) live(now time.Time, e *entry) bool { return now.Sub(e.time) <= announceTimeout }

// expire drops entries older than 300 s.
func (s *store) expire(now time.Time) {
	s.entries = slices.DeleteFunc(s.entries, func(e entry) bool { return !s.live(now, &e) })
}

func (s *store) len() int { return len(s.entries) }

// find returns the live entry for pk, or nil.
func (s *store) find(now time.Time, pk key.PublicKey) *entry {
	for i := range s.entries {
		if s.entries[i].pk == pk && s.live(now, &s.entries[i]) {
			return &s.entries[i]
		}
	}
	return nil
}

// add stores or refreshes pk's entry and returns it, or nil when the table
// is full of closer keys. The returned pointer is valid until the next add
// or expire.
func (s *store) add(now time.Time, pk, dataPK key.PublicKey, retAddr netip.AddrPort, ret []byte) *entry {
	s.expire(now)
	e := s.find(now, pk)
	if e == nil {
		if len(s.entries) < announceEntries {
			s.entries = append(s.entries, entry{pk: pk})
		} else {
			far := &s.entries[len(s.entries)-1]
			if key.Distance(&s.base, &pk, &far.pk) >= 0 {
				return nil
			}
			*far = entry{pk: pk}
		}
		e = &s.entries[len(s.entries)-1]
	}
	e.dataPK = dataPK
	e.retAddr = retAddr
	copy(e.ret[:], ret)
	e.time = now
	slices.SortFunc(s.entries, func(a, b entry) int { return key.Distance(&s.base, &a.pk, &b.pk) })
	return s.find(now, pk)
}
