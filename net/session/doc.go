// Package session owns Parley's net_crypto (tox-protocol.md §6): the
// encrypted, reliable session between two long-term keys that
// friend_connection and Messenger (§7) run on. It speaks what c-toxcore
// 0.2.18 speaks: cookie request and response, handshake, data packets
// with the 2-byte nonce scheme, the 32768-slot lossless ring with
// acknowledgements (buffer_start) and request packets (selective acks),
// retransmission, lossy packets, keep-alive request packets, the
// unestablished timeout and kill packets. Each connection gets a fresh
// session key pair, so recorded traffic stays sealed if a long-term key
// later leaks (forward secrecy).
//
// # Shape
//
// A Manager is a sans-IO state machine: no goroutines, sockets or clock
// reads. Every entry point takes `now`; packets leave through Config.Send;
// randomness comes from Config.Rand; events reach the layer above through
// Config callbacks (OnState, OnLossless, OnLossy, OnAcked, OnDHTKey). The
// owner goroutine (with the DHT and the onion) feeds it every packet of
// kinds 0x18, 0x19, 0x1a and 0x1b with HandlePacket and calls Tick when
// NextDeadline comes. A Manager and its Conns are not safe for concurrent
// use.
//
// Packets are demultiplexed as c-toxcore does: cookie requests are
// answered statelessly, cookie responses and data packets go to the
// connection that uses the source address (Connect, SetAddr and valid
// handshakes set addresses, one per IP family), and a handshake goes to
// the connection of the long-term key inside its cookie, or starts one if
// Config.Accept agrees.
//
// Packets through a TCP relay (§9) come in with HandleTCPPacket, tagged
// with the sender's DHT key instead of an address, and leave through
// Config.SendTCP while no direct UDP address is alive (tcp.go).
//
// # Byte layout (§6)
//
//	0x18 cookie request, 145 bytes:
//	  0x18 | our DHT pk(32) | nonce(24) | sbox(beforenm(peer DHT pk, our DHT sk), nonce,
//	         our long-term pk(32) | 32 zero bytes | echo id(8))
//	0x19 cookie response, 161 bytes:
//	  0x19 | nonce(24) | sbox(the same DHT key, nonce, cookie(112) | echo id(8))
//	cookie (ours; opaque to peers), 112 bytes:
//	  nonce(24) | sbox(our random cookie key, nonce,
//	         time u64 BE | requester long-term pk(32) | requester DHT pk(32))
//	  valid for CookieTimeout (15 s)
//	0x1a handshake, 385 bytes:
//	  0x1a | cookie from the peer(112) | nonce(24) | box(peer long-term pk, our long-term sk, nonce,
//	         base nonce(24) | session pk(32) | SHA-512(cookie from the peer)(64) | new cookie for the peer(112))
//	0x1b data, 28..1400 bytes:
//	  0x1b | low 2 bytes of the send nonce, BE | sbox(beforenm(peer session pk, our session sk), send nonce,
//	         buffer_start u32 BE | packet number u32 BE | (1373 - len(id+payload)) % 8 zero bytes | id | payload)
//
// The send nonce starts at our base nonce and grows by one per data
// packet. The receiver rebuilds it from the low 16 bits as
// receive nonce + (low - receive nonce low) mod 65536, and moves its
// receive nonce 21845 forward when a packet was more than 43690 ahead.
// Parley also keeps a bitmap of the 65536 acceptable nonces, so a replayed
// or duplicated data packet is refused (c-toxcore has no such check).
//
// Data packet ids: 1 request, 2 kill, 16..191 lossless, 192..254 lossy.
// A lossless packet carries its number in the send ring; every other
// packet carries our send buffer_end. buffer_start acknowledges every
// lossless number below it. A request packet (id 1) lists the missing
// numbers of our receive ring relative to its buffer_start (request.go
// has the encoding); its receiver resends what is named and frees what
// the list passes over.
//
// # Timers and flow
//
// Cookie requests and handshakes are resent every second; a connection
// whose current one went out MaxTempSends (8) times without progress
// dies (about 8 s). A connection becomes ESTABLISHED on the first valid
// data packet, so both sides send a request packet as soon as they know
// the session key, and on every live connection at least every second
// (the keep-alive). Parley adds faster request packets where they help:
// AckDelay after lossless data arrives, every 50 ms while our receive
// ring has holes, and every 2·RTT while our own packets are unacked, so
// losses (tail losses included) are repaired in a few RTTs between Parley
// peers; c-toxcore peers simply see more request packets. Resends follow
// requests, at most once per RTT per packet and paced by a token bucket;
// flow-controlled senders (file data) use SendWindow, a congestion window
// (cc.go). Memory is bounded per connection: the send ring by RingSize
// packets (SendLossless refuses more), the receive ring by
// Config.RecvWindow packets, both allocated as they fill.
package session
