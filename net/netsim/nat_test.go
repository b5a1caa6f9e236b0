package netsim

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

// natScene is one host behind a NAT and three public hosts.
type natScene struct {
	n          *Network
	nat        *NAT
	h          *sink // behind the NAT at 192.168.1.2:5000
	s1, s2, s3 *sink // public; s3 never contacted
}

func newNATScene(t *testing.T, cfg NATConfig) *natScene {
	t.Helper()
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: 10 * time.Millisecond})
	nat := mustNAT(t, n, "203.0.113.1", cfg)
	return &natScene{
		n: n, nat: nat,
		h:  addNATSink(t, nat, "192.168.1.2:5000"),
		s1: addSink(t, n, "198.51.100.1:1000"),
		s2: addSink(t, n, "198.51.100.2:2000"),
		s3: addSink(t, n, "198.51.100.3:3000"),
	}
}

// mapped sends from the NATed host to s and returns the source s saw.
func (sc *natScene) mapped(t *testing.T, s *sink) netip.AddrPort {
	t.Helper()
	before := len(s.got)
	sc.h.host.Send(s.host.Addr(), seqPkt(0, 4))
	sc.n.RunFor(time.Second)
	if len(s.got) != before+1 {
		t.Fatalf("%v did not receive the NATed host's packet", s.host.Addr())
	}
	return s.got[before].src
}

// reaches sends from s (optionally from another port) to dst and reports
// whether the NATed host received it.
func (sc *natScene) reaches(t *testing.T, from *Host, dst netip.AddrPort) bool {
	t.Helper()
	before := len(sc.h.got)
	from.Send(dst, seqPkt(1, 4))
	sc.n.RunFor(time.Second)
	return len(sc.h.got) > before
}

func TestNATEndpointIndependentMappingFullCone(t *testing.T) {
	sc := newNATScene(t, NATConfig{})
	m1 := sc.mapped(t, sc.s1)
	if m1.Addr() != ip("203.0.113.1") {
		t.Fatalf("source %v is not the NAT's public address", m1)
	}
	if m2 := sc.mapped(t, sc.s2); m2 != m1 {
		t.Errorf("endpoint-independent mapping gave %v and %v", m1, m2)
	}
	// Full cone: a third party never contacted reaches the mapped port.
	if !sc.reaches(t, sc.s3.host, m1) {
		t.Error("third party could not reach a full-cone mapping")
	}
	if got := sc.h.got[len(sc.h.got)-1].src; got != sc.s3.host.Addr() {
		t.Errorf("host saw source %v, want %v", got, sc.s3.host.Addr())
	}
	// An unmapped port is filtered.
	if sc.reaches(t, sc.s3.host, netip.AddrPortFrom(m1.Addr(), m1.Port()+1)) {
		t.Error("unmapped port reached the host")
	}
	if s := sc.n.Stats(); s.NATFiltered != 1 {
		t.Errorf("NATFiltered = %d, want 1", s.NATFiltered)
	}
}

func TestNATPortRestrictedFiltering(t *testing.T) {
	sc := newNATScene(t, NATConfig{Filtering: AddressPortDependent})
	m := sc.mapped(t, sc.s1)
	if m2 := sc.mapped(t, sc.s2); m2 != m {
		t.Errorf("endpoint-independent mapping gave %v and %v", m, m2)
	}
	if !sc.reaches(t, sc.s1.host, m) {
		t.Error("reply from a contacted endpoint was filtered")
	}
	if sc.reaches(t, sc.s3.host, m) {
		t.Error("unsolicited packet passed address-port-dependent filtering")
	}
	other, err := sc.n.AddHost(ap("198.51.100.1:1001"), func(time.Time, netip.AddrPort, []byte) {})
	if err != nil {
		t.Fatal(err)
	}
	if sc.reaches(t, other, m) {
		t.Error("contacted IP from another port passed address-port-dependent filtering")
	}
	if s := sc.n.Stats(); s.NATFiltered != 2 {
		t.Errorf("NATFiltered = %d, want 2", s.NATFiltered)
	}
}

func TestNATAddressDependentFiltering(t *testing.T) {
	sc := newNATScene(t, NATConfig{Filtering: AddressDependent})
	m := sc.mapped(t, sc.s1)
	other, err := sc.n.AddHost(ap("198.51.100.1:1001"), func(time.Time, netip.AddrPort, []byte) {})
	if err != nil {
		t.Fatal(err)
	}
	if !sc.reaches(t, other, m) {
		t.Error("contacted IP from another port was filtered by address-dependent filtering")
	}
	if sc.reaches(t, sc.s3.host, m) {
		t.Error("uncontacted IP passed address-dependent filtering")
	}
}

func TestNATSymmetricMapping(t *testing.T) {
	sc := newNATScene(t, NATConfig{Mapping: AddressPortDependent, Filtering: AddressPortDependent, PortStart: 40000})
	m1 := sc.mapped(t, sc.s1)
	m2 := sc.mapped(t, sc.s2)
	if m1 == m2 {
		t.Fatalf("symmetric NAT reused mapping %v", m1)
	}
	if m1.Port() != 40000 || m2.Port() != 40001 {
		t.Errorf("ports %d, %d; want sequential from 40000", m1.Port(), m2.Port())
	}
	if again := sc.mapped(t, sc.s1); again != m1 {
		t.Errorf("second packet to s1 left as %v, want %v", again, m1)
	}
	if sc.reaches(t, sc.s2.host, m1) {
		t.Error("s2 reached the mapping made for s1")
	}
	if got, ok := sc.nat.Mapping(sc.h.host.Addr(), sc.s2.host.Addr()); !ok || got != m2 {
		t.Errorf("Mapping() = %v, %v; want %v", got, ok, m2)
	}
	if sc.nat.Mappings() != 2 {
		t.Errorf("Mappings() = %d, want 2", sc.nat.Mappings())
	}
}

func TestNATAddressDependentMapping(t *testing.T) {
	sc := newNATScene(t, NATConfig{Mapping: AddressDependent})
	m1 := sc.mapped(t, sc.s1)
	other := addSink(t, sc.n, "198.51.100.1:1001")
	if m := sc.mapped(t, other); m != m1 {
		t.Errorf("same IP, other port: mapping %v, want %v", m, m1)
	}
	if m := sc.mapped(t, sc.s2); m == m1 {
		t.Errorf("other IP reused mapping %v", m)
	}
}

func TestNATMappingTimeout(t *testing.T) {
	sc := newNATScene(t, NATConfig{Filtering: AddressPortDependent, Timeout: 30 * time.Second})
	m := sc.mapped(t, sc.s1) // sent at t=0, mapping lives until t=30s
	sc.n.RunFor(18 * time.Second)
	if !sc.reaches(t, sc.s1.host, m) { // arrives at t≈19s
		t.Fatal("reply within the timeout was filtered")
	}
	sc.n.RunFor(11 * time.Second) // now t=31s; the inbound reply did not refresh
	if sc.reaches(t, sc.s1.host, m) {
		t.Fatal("reply after the timeout passed")
	}
	if _, ok := sc.nat.Mapping(sc.h.host.Addr(), sc.s1.host.Addr()); ok {
		t.Error("Mapping() still reports the expired mapping")
	}
	m2 := sc.mapped(t, sc.s1)
	if m2 == m {
		t.Errorf("new mapping after expiry reused port %v", m)
	}
	if !sc.reaches(t, sc.s1.host, m2) {
		t.Error("reply to the fresh mapping was filtered")
	}
	// Outbound traffic keeps a mapping alive.
	for range 5 {
		sc.n.RunFor(20 * time.Second)
		if m3 := sc.mapped(t, sc.s1); m3 != m2 {
			t.Fatalf("refreshed mapping moved from %v to %v", m2, m3)
		}
	}
}

// punchScene puts a and b behind their own NATs and a rendezvous server
// on the public network, like a DHT node telling each peer the other's
// address as it saw it.
func punchScene(t *testing.T, cfg NATConfig) (n *Network, a, b *sink, am, bm netip.AddrPort) {
	t.Helper()
	n = New(9, epoch)
	n.SetDefaultLink(Link{Delay: 20 * time.Millisecond, Jitter: 5 * time.Millisecond})
	na := mustNAT(t, n, "203.0.113.1", cfg)
	nb := mustNAT(t, n, "203.0.113.2", cfg)
	a = addNATSink(t, na, "192.168.1.2:33445")
	b = addNATSink(t, nb, "192.168.1.2:33445") // same private address, other NAT
	s := addSink(t, n, "198.51.100.1:33445")
	a.host.Send(s.host.Addr(), seqPkt(0, 4))
	b.host.Send(s.host.Addr(), seqPkt(0, 4))
	n.RunFor(time.Second)
	if len(s.got) != 2 {
		t.Fatalf("server got %d packets", len(s.got))
	}
	for _, r := range s.got {
		switch r.src.Addr() {
		case na.Public():
			am = r.src
		case nb.Public():
			bm = r.src
		}
	}
	return n, a, b, am, bm
}

func TestNATHolePunchSimultaneousOpen(t *testing.T) {
	n, a, b, am, bm := punchScene(t, NATConfig{Filtering: AddressPortDependent, Timeout: time.Minute})
	// Both send at the same instant: each outbound packet opens its own
	// NAT before the other side's packet arrives.
	a.host.Send(bm, seqPkt(10, 4))
	b.host.Send(am, seqPkt(20, 4))
	n.RunFor(time.Second)
	if len(a.got) != 1 || a.got[0].seq != 20 || a.got[0].src != bm {
		t.Errorf("a got %+v, want b's packet from %v", a.got, bm)
	}
	if len(b.got) != 1 || b.got[0].seq != 10 || b.got[0].src != am {
		t.Errorf("b got %+v, want a's packet from %v", b.got, am)
	}
	if s := n.Stats(); s.NATFiltered != 0 {
		t.Errorf("NATFiltered = %d", s.NATFiltered)
	}
}

func TestNATHolePunchFirstPacketFiltered(t *testing.T) {
	n, a, b, am, bm := punchScene(t, NATConfig{Filtering: AddressPortDependent})
	a.host.Send(bm, seqPkt(10, 4)) // b's NAT has no permit for a yet
	n.RunFor(time.Second)
	if len(b.got) != 0 || n.Stats().NATFiltered != 1 {
		t.Fatalf("first punch should be filtered: b got %+v, stats %+v", b.got, n.Stats())
	}
	b.host.Send(am, seqPkt(20, 4)) // a's NAT let a's packet out to bm: passes
	n.RunFor(time.Second)
	a.host.Send(bm, seqPkt(11, 4)) // now b's NAT has a permit for am
	n.RunFor(time.Second)
	if len(a.got) != 1 || len(b.got) != 1 || b.got[0].seq != 11 {
		t.Errorf("a got %+v, b got %+v", a.got, b.got)
	}
}

func TestNATHolePunchFailsBetweenSymmetricNATs(t *testing.T) {
	n, a, b, am, bm := punchScene(t, NATConfig{Mapping: AddressPortDependent, Filtering: AddressPortDependent})
	for range 3 {
		a.host.Send(bm, seqPkt(10, 4))
		b.host.Send(am, seqPkt(20, 4))
		n.RunFor(time.Second)
	}
	if len(a.got)+len(b.got) != 0 {
		t.Errorf("symmetric NATs punched through: a %+v, b %+v", a.got, b.got)
	}
}

func TestNATLANAndHairpin(t *testing.T) {
	n := New(1, epoch)
	nat := mustNAT(t, n, "203.0.113.1", NATConfig{})
	a := addNATSink(t, nat, "192.168.1.2:1")
	b := addNATSink(t, nat, "192.168.1.3:1")
	s := addSink(t, n, "198.51.100.1:1")
	a.host.Send(b.host.Addr(), seqPkt(1, 4)) // LAN: private source kept
	n.RunFor(time.Second)
	if len(b.got) != 1 || b.got[0].src != a.host.Addr() {
		t.Fatalf("LAN delivery: %+v", b.got)
	}
	b.host.Send(s.host.Addr(), seqPkt(2, 4))
	n.RunFor(time.Second)
	bm := s.got[0].src
	a.host.Send(bm, seqPkt(3, 4)) // hairpin through the full-cone NAT
	n.RunFor(time.Second)
	if len(b.got) != 2 || b.got[1].src.Addr() != nat.Public() {
		t.Errorf("hairpin delivery: %+v", b.got)
	}
	// A public host cannot address private hosts.
	s.host.Send(b.host.Addr(), seqPkt(4, 4))
	n.RunFor(time.Second)
	if n.Stats().NoRoute != 1 {
		t.Errorf("stats %+v, want one NoRoute", n.Stats())
	}
}

func TestNATAddressConflicts(t *testing.T) {
	n := New(1, epoch)
	addSink(t, n, "198.51.100.1:1")
	if _, err := n.AddNAT(ip("198.51.100.1"), NATConfig{}); !errors.Is(err, ErrAddrInUse) {
		t.Errorf("NAT over a host's address: %v", err)
	}
	mustNAT(t, n, "203.0.113.1", NATConfig{})
	if _, err := n.AddNAT(ip("203.0.113.1"), NATConfig{}); !errors.Is(err, ErrAddrInUse) {
		t.Errorf("second NAT at the same address: %v", err)
	}
	if _, err := n.AddHost(ap("203.0.113.1:5"), func(time.Time, netip.AddrPort, []byte) {}); !errors.Is(err, ErrAddrInUse) {
		t.Errorf("host at a NAT's public address: %v", err)
	}
	if _, err := n.AddNAT(ip("203.0.113.9"), NATConfig{Mapping: 7}); err == nil {
		t.Error("invalid behaviour accepted")
	}
}

func TestNATPortExhaustion(t *testing.T) {
	n := New(1, epoch)
	nat := mustNAT(t, n, "203.0.113.1", NATConfig{Mapping: AddressPortDependent, PortStart: 65534})
	h := addNATSink(t, nat, "192.168.1.2:1")
	for i := range 3 {
		h.host.Send(netip.AddrPortFrom(ip("198.51.100.1"), uint16(i+1)), seqPkt(0, 4))
	}
	if s := n.Stats(); s.NATFiltered != 1 || s.InFlight != 2 {
		t.Errorf("stats %+v, want 2 in flight and 1 refused", s)
	}
}
