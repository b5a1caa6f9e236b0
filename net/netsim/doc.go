// Package netsim owns Parley's simulated network: an in-memory IP network
// of hosts, datagram conns and NATs whose links lose, delay, jitter,
// reorder, duplicate and MTU-drop packets, all drawn from one seeded
// generator (math/rand/v2 PCG) so a scenario replays exactly. It is a test
// double for net/transport's socket (architecture.md §9.5) and imports
// nothing from Parley.
//
// # Two ways to run it
//
// Event mode, New(seed, start), is for mass simulation of sans-IO state
// machines in one goroutine. Time is virtual: it starts at start and moves
// only when the driver calls Step, RunFor or RunUntil, which pop events
// (packet arrivals and After/Every timers) from a heap in (time, sequence)
// order, so events due at the same instant keep the order they were
// scheduled in. A host is a callback:
//
//	n := netsim.New(1, start)
//	n.SetDefaultLink(netsim.Link{Delay: 20 * time.Millisecond, Loss: 0.05})
//	h, err := n.AddHost(addr, func(now time.Time, src netip.AddrPort, pkt []byte) {
//		node.HandlePacket(now, src, pkt) // may call h.Send
//	})
//	n.Every(time.Second, node.Tick)
//	n.RunFor(10 * time.Minute)
//
// Send copies the packet once into a pooled buffer inside the event; the
// loop has no goroutines and allocates nothing in steady state. On a
// 2-core machine it moves 2 to 3.5 million packets per second among 10,000
// hosts (BenchmarkEventLoop). The pkt a RecvFunc gets is valid only during
// the call: copy what you keep.
//
// Realtime mode, NewRealtime(seed), is for goroutine code over Conns,
// which implement transport.PacketConn so the real Transport and node
// runner run unchanged. Its time is the time package's: one time.AfterFunc
// timer is armed for the earliest event and, when it fires, delivers every
// due event in order and re-arms. Inside a testing/synctest bubble that is
// the bubble's fake clock, so a 30 s keepalive or a 5 s link delay costs
// no wall time:
//
//	synctest.Test(t, func(t *testing.T) {
//		n := netsim.NewRealtime(1)
//		defer n.Close()
//		n.SetDefaultLink(netsim.Link{Delay: 5 * time.Second})
//		c, err := n.Listen(netip.MustParseAddrPort("10.0.0.1:33445"))
//		tr := transport.New(c) // the real Transport, unchanged
//		...
//	})
//
// The trade-offs of realtime mode:
//   - There is no long-lived goroutine (nothing to leak or to stop): the
//     runtime starts one short goroutine per timer firing, which drains
//     every due event. Deliveries are serialised, so same-time packets keep
//     FIFO order, which per-packet time.AfterFunc calls would not.
//   - Create and use the network inside one bubble (or none): its timer and
//     its conns' channels belong to the bubble that creates them, and its
//     start time is read from the clock in NewRealtime.
//   - synctest makes time deterministic, not goroutine scheduling. Random
//     draws happen in send order, so when goroutines send concurrently the
//     trace may differ between runs; event mode is the one that replays
//     bit for bit.
//   - On the real clock (outside a bubble) delays are real and late by the
//     timer's latency; use it for smoke tests only.
//
// Event mode could not drive goroutine code by itself: the driver cannot
// tell when every goroutine is idle and time may advance, which is exactly
// what synctest knows. Conns do work in event mode too (the driver moves
// time; reads see what RunFor delivered), and callback hosts and timers
// work in realtime mode, so a scenario may mix both kinds of host.
//
// # The packet path
//
// A packet from a host behind a NAT is translated on the way out (a LAN
// destination behind the same NAT is reached directly, untranslated). The
// link for (wire source address, destination address), set with SetLink or
// SetLinkOneWay or else the default, then applies MTU, Loss, Delay +
// Jitter, Reorder and Duplicate (see Link). On arrival, a NAT's public
// address filters and translates the packet inward; otherwise the host
// bound at the destination gets it: a callback host at once, a Conn through
// a bounded queue (SetQueueLen; a full queue drops). Every copy ends in
// exactly one Fate, counted in Stats and reported to the Trace hook.
//
// # NAT model
//
// Mapping and filtering follow RFC 4787's endpoint-independent,
// address-dependent and address-port-dependent behaviours (NATConfig), so
// full-cone, restricted-cone, port-restricted-cone and symmetric NATs are
// all expressible. Public ports are allocated sequentially from PortStart.
// Mappings and per-remote permissions expire Timeout after the host's last
// outbound packet on them (inbound traffic does not refresh). NATs do not
// nest; a NAT hairpins packets sent from inside to its own public address.
//
// # Concurrency
//
// Everything is safe for concurrent use. Receive and timer callbacks never
// run concurrently with each other and run without the network's lock, so
// they may call Send, After, Stats and the like, but not Step, RunFor or
// RunUntil. The Trace hook runs with the lock held and must not call back.
package netsim
