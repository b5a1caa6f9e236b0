// Package transport owns Parley's one UDP socket and is the only package in
// net/ that touches sockets (tox-protocol.md §2, architecture.md §9.3).
//
// What it owns:
//
//   - Listen: the socket itself. Like c-toxcore it binds one port from a
//     range (33445..33545 by default), on a dual-stack [::] socket when IPv6
//     is wanted (falling back to 0.0.0.0 when the host has no IPv6), with
//     broadcast enabled for LAN discovery (§4.3).
//   - Transport: the read goroutine, the first-byte demultiplexer, Send, and
//     the counters (Stats): packets and bytes each way, per kind, and every
//     drop by reason.
//   - Queue: the bounded, non-blocking hand-off that handlers use to pass
//     decoded packets to their owner goroutine.
//
// # Demultiplexing
//
// Every Tox UDP packet starts with one kind byte (wire.Kind). Each protocol
// (DHT, net_crypto, onion, LAN discovery, bootstrap info) owns a disjoint set
// of first bytes, fixed by c-toxcore's Net_Packet_Type enum, so no two
// protocols can claim the same packet: the byte alone decides, and the table
// is a plain [256]Handler indexed by pkt[0]. There is no content sniffing and
// no fallback, so a malformed packet can only ever reach the one handler that
// owns its kind (see the net/wire package doc for the list). Bytes without a
// registered handler, such as the group-chat groundwork 0x87..0x98 that
// Parley does not speak, are dropped and counted as DropUnknownKind, as
// c-toxcore drops unknown ids.
// A second, encrypted level of dispatch (lossless/lossy message ids) lives in
// net/session, one layer up.
//
// The table is filled with Handle before Start and is read-only afterwards,
// so the hot path takes no lock.
//
// # The handler contract
//
// A Handler runs on the read goroutine. It must return quickly, must never
// block, and must not keep pkt after it returns: the buffer is reused for the
// next datagram, so copy what you need (parsers that copy out of their input
// satisfy this). The usual shape is: parse, then hand the value to the owning
// component's goroutine with Queue.TryPush (a non-blocking channel send) and
// let a full queue drop the packet and count it (DropHandlerFull). One slow
// consumer, for instance the audio path, must never stall the socket for the
// DHT or the onion.
//
// # Addresses
//
// Handlers always see IPv4 peers as 4-byte addresses: IPv4-mapped IPv6
// sources from a dual-stack socket are unmapped before dispatch. Send accepts
// IPv4 destinations on a dual-stack socket (they are mapped).
package transport
