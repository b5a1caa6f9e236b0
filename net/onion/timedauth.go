package onion

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
	"time"

	"parley/net/key"
)

// timedAuth makes the announce server's ping ids (tox-protocol.md §5.3): an
// HMAC-SHA256, under a key drawn at start, of the 300 s time bucket, the
// requester's key and the address the request came from (the last relay).
// As c-toxcore's timed_auth, an id is accepted during its own bucket and the
// next one, so it stays valid for 300 to 600 s. The id is opaque to clients.
type timedAuth struct {
	key [32]byte
}

func (a *timedAuth) make(bucket int64, pk key.PublicKey, src netip.AddrPort) [PingIDSize]byte {
	m := hmac.New(sha256.New, a.key[:])
	var b [8 + key.Size + IPPortSize]byte
	binary.BigEndian.PutUint64(b[:], uint64(bucket))
	copy(b[8:], pk[:])
	ipp, err := AppendIPPort(b[8+key.Size:8+key.Size], src)
	if err != nil {
		// No address: hash the bare port so the id is still deterministic.
		ipp = binary.BigEndian.AppendUint16(nil, src.Port())
	}
	m.Write(b[:8+key.Size])
	m.Write(ipp)
	var id [PingIDSize]byte
	copy(id[:], m.Sum(nil))
	return id
}

func authBucket(now time.Time) int64 { return now.Unix() / int64(announceTimeout/time.Second) }

// generate returns the ping id for pk at src now.
func (a *timedAuth) generate(now time.Time, pk key.PublicKey, src netip.AddrPort) [PingIDSize]byte {
	return a.make(authBucket(now), pk, src)
}

// check reports whether id was generated for pk at src in this bucket or
// the previous one.
func (a *timedAuth) check(now time.Time, id [PingIDSize]byte, pk key.PublicKey, src netip.AddrPort) bool {
	b := authBucket(now)
	for _, bucket := range []int64{b, b - 1} {
		want := a.make(bucket, pk, src)
		if hmac.Equal(want[:], id[:]) {
			return true
		}
	}
	return false
}
