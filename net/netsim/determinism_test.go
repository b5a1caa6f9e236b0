package netsim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// scenario runs a small lossy network with NATs and timers for 20 s of
// virtual time and returns a hash of its full trace.
func scenario(t *testing.T, seed uint64) ([32]byte, Stats) {
	t.Helper()
	n := New(seed, epoch)
	n.SetDefaultLink(Link{Loss: 0.05, Duplicate: 0.02, Reorder: 0.05, Delay: 20 * time.Millisecond, Jitter: 30 * time.Millisecond, MTU: 1400})
	n.SetLink(ip("10.0.0.1"), ip("10.0.0.2"), Link{Loss: 0.5, Delay: 100 * time.Millisecond})

	hash := sha256.New()
	var buf []byte
	n.Trace(func(e TraceEvent) {
		buf = buf[:0]
		buf = binary.BigEndian.AppendUint64(buf, uint64(e.Sent.UnixNano()))
		buf = binary.BigEndian.AppendUint64(buf, uint64(e.At.UnixNano()))
		for _, a := range []netip.AddrPort{e.From, e.Src, e.Dst, e.To} {
			buf, _ = a.AppendBinary(buf) // never fails
		}
		buf = append(buf, byte(e.Fate), b2u(e.Dup), b2u(e.Held))
		buf = append(buf, e.Data...)
		hash.Write(buf)
	})

	// Addresses and who talks to whom come from their own generator, fixed
	// by the same seed.
	pick := rand.New(rand.NewPCG(seed, 1))
	var hosts []*Host
	var addrs []netip.AddrPort
	reply := func(h **Host) RecvFunc {
		return func(now time.Time, src netip.AddrPort, pkt []byte) {
			if len(pkt) > 0 && pkt[0] == 'q' {
				r := append([]byte{'r'}, pkt[1:]...)
				(*h).Send(src, r)
			}
		}
	}
	add := func(h *Host, err error) {
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, h)
	}
	for i := range 30 {
		h := new(*Host)
		add(n.AddHost(netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}), 33445), reply(h)))
		*h = hosts[len(hosts)-1]
		addrs = append(addrs, (*h).Addr())
	}
	cfgs := []NATConfig{{}, {Filtering: AddressPortDependent, Timeout: 5 * time.Second}, {Mapping: AddressPortDependent, Filtering: AddressPortDependent}}
	for i, cfg := range cfgs {
		nat := mustNAT(t, n, fmt.Sprintf("203.0.113.%d", i+1), cfg)
		for j := range 4 {
			h := new(*Host)
			add(nat.AddHost(netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 168, 0, byte(j + 2)}), 33445), reply(h)))
			*h = hosts[len(hosts)-1]
		}
	}
	// Unsolicited traffic to NATs' mapped ports, and to nobody.
	addrs = append(addrs, ap("203.0.113.2:1024"), ap("203.0.113.3:1025"), ap("10.0.0.250:1"))
	for i, h := range hosts {
		n.Every(time.Duration(100+i)*time.Millisecond, func(now time.Time) {
			dst := addrs[pick.IntN(len(addrs))]
			pkt := make([]byte, 9+pick.IntN(1500))
			pkt[0] = 'q'
			binary.BigEndian.PutUint64(pkt[1:], uint64(now.UnixNano()))
			h.Send(dst, pkt)
		})
	}
	n.RunFor(20 * time.Second)
	var sum [32]byte
	hash.Sum(sum[:0])
	return sum, n.Stats()
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func TestDeterminism(t *testing.T) {
	h1, s1 := scenario(t, 42)
	h2, s2 := scenario(t, 42)
	if h1 != h2 || s1 != s2 {
		t.Fatalf("same seed, different runs:\n%x %+v\n%x %+v", h1, s1, h2, s2)
	}
	h3, s3 := scenario(t, 43)
	if h3 == h1 {
		t.Fatal("different seeds gave the same trace")
	}
	t.Logf("seed 42: %+v", s1)
	t.Logf("seed 43: %+v", s3)
	for _, s := range []Stats{s1, s3} {
		checkBalance(t, s)
		if s.Lost == 0 || s.Duplicated == 0 || s.Reordered == 0 || s.MTUDropped == 0 || s.NATFiltered == 0 || s.NoRoute == 0 {
			t.Errorf("scenario does not exercise every fate: %+v", s)
		}
	}
}
