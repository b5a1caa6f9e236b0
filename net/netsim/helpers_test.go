package netsim

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
func ip(s string) netip.Addr     { return netip.MustParseAddr(s) }

// sink is a callback host that records what it receives.
type sink struct {
	got  []received
	host *Host
}

type received struct {
	now time.Time
	src netip.AddrPort
	seq uint32
	n   int
}

func (s *sink) recv(now time.Time, src netip.AddrPort, pkt []byte) {
	r := received{now: now, src: src, n: len(pkt)}
	if len(pkt) >= 4 {
		r.seq = binary.BigEndian.Uint32(pkt)
	}
	s.got = append(s.got, r)
}

func addSink(t testing.TB, n *Network, addr string) *sink {
	t.Helper()
	s := &sink{}
	h, err := n.AddHost(ap(addr), s.recv)
	if err != nil {
		t.Fatal(err)
	}
	s.host = h
	return s
}

func addNATSink(t testing.TB, nat *NAT, addr string) *sink {
	t.Helper()
	s := &sink{}
	h, err := nat.AddHost(ap(addr), s.recv)
	if err != nil {
		t.Fatal(err)
	}
	s.host = h
	return s
}

func seqPkt(seq uint32, size int) []byte {
	b := make([]byte, max(size, 4))
	binary.BigEndian.PutUint32(b, seq)
	return b
}

func mustNAT(t testing.TB, n *Network, public string, cfg NATConfig) *NAT {
	t.Helper()
	nat, err := n.AddNAT(ip(public), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return nat
}

// checkBalance asserts every copy handed to the network is accounted for.
func checkBalance(t testing.TB, s Stats) {
	t.Helper()
	in := s.Sent + s.Duplicated
	out := s.Delivered + s.Lost + s.MTUDropped + s.NoRoute + s.NATFiltered + s.QueueDrop + s.InFlight
	if in != out {
		t.Errorf("stats do not balance: sent+dup %d != fates %d (%+v)", in, out, s)
	}
}
