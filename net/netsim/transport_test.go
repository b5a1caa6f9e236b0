package netsim_test

import (
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/netsim"
	"parley/net/transport"
	"parley/net/wire"
)

// Conn must be usable wherever the transport wants a socket.
var _ transport.PacketConn = (*netsim.Conn)(nil)

// TestTransportOverNetsim runs two real Transports over a lossless 5 s
// link inside a synctest bubble: a ping and its reply take 10 s of bubble
// time, and closing both leaves no goroutine behind (synctest.Test would
// fail otherwise).
func TestTransportOverNetsim(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := netsim.NewRealtime(1)
		defer n.Close()
		n.SetDefaultLink(netsim.Link{Delay: 5 * time.Second})
		open := func(addr string) *transport.Transport {
			c, err := n.Listen(netip.MustParseAddrPort(addr))
			if err != nil {
				t.Fatal(err)
			}
			return transport.New(c)
		}
		a, b := open("10.0.0.1:33445"), open("10.0.0.2:33445")
		pong := make(chan netip.AddrPort, 1)
		if err := b.Handle(wire.KindPingRequest, func(src netip.AddrPort, pkt []byte) {
			if err := b.Send(src, []byte{byte(wire.KindPingResponse)}); err != nil {
				t.Error(err)
			}
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.Handle(wire.KindPingResponse, func(src netip.AddrPort, pkt []byte) {
			pong <- src
		}); err != nil {
			t.Fatal(err)
		}
		a.Start()
		b.Start()
		start := time.Now()
		if err := a.Send(b.LocalAddr(), []byte{byte(wire.KindPingRequest)}); err != nil {
			t.Fatal(err)
		}
		if src := <-pong; src != b.LocalAddr() {
			t.Errorf("pong from %v", src)
		}
		if rtt := time.Since(start); rtt != 10*time.Second {
			t.Errorf("round trip %v of bubble time, want 10s", rtt)
		}
		for _, tr := range []*transport.Transport{a, b} {
			if err := tr.Close(); err != nil {
				t.Error(err)
			}
		}
	})
}
