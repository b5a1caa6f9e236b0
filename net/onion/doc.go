// Package onion owns Tox's onion (tox-protocol.md §5): the relay that
// forwards 3-hop onion requests and carries responses back, the announce
// server that stores who is announced where, and the client that builds
// paths, announces us, searches for friends and exchanges onion data with
// them (DHT PK announcements and friend requests). Everything is a sans-IO
// state machine: time comes in as `now`, randomness from Config.Rand, and
// packets leave through Config.Send. Onion is not safe for concurrent use;
// its owner goroutine (the node loop) calls every method.
//
// # Byte layouts
//
// ip_port (19 bytes, §5.1): family(1: 2 or 10) | IP(16, IPv4 in the first 4
// bytes, rest zero) | port(2, BE). It is not the packed-node format.
//
// Outbound (§5.2; N is the same nonce in all three layers; k1..k3 are the
// hops' shared keys; sbox is secretbox with a shared key):
//
//	0x80 | N | ourDHTpk | sbox(k1, N, ipport(B) | T2 | sbox(k2, N, ipport(C) | T3 | sbox(k3, N, ipport(D) | payload)))
//	0x81 | N | T2 | sbox(k2, ...) | R1          sent by A to B
//	0x82 | N | T3 | sbox(k3, ...) | R2          sent by B to C
//	payload | R3                                sent by C to D; payload starts 0x83 or 0x85
//
// Return blobs, sealed with the relay's own symmetric key (rotated every 2 h):
//
//	R1 = N1 | sbox(sym_A, N1, ipport(sender))          59 bytes
//	R2 = N2 | sbox(sym_B, N2, ipport(A) | R1)         118 bytes
//	R3 = N3 | sbox(sym_C, N3, ipport(B) | R2)         177 bytes
//
// Inbound: D sends 0x8c | R3 | response to C, C sends 0x8d | R2 | response
// to B, B sends 0x8e | R1 | response to A, A sends the bare response (0x84
// or 0x86) to the sender.
//
// Announce request and response (§5.3):
//
//	0x83 | N | senderPK | box(D.dhtpk, senderSK, N, ping_id(32) | search_pk(32) | data_pk(32) | sendback(8))   177 bytes
//	0x84 | sendback(8) | N | box(senderPK, D.dhtsk, N, is_stored(1) | ping_id_or_data_pk(32) | packed nodes(≤4))
//
// Onion data (§5.4; the same N in both boxes, T a fresh key pair per packet):
//
//	0x85 | friend long-term pk | N | Tpk | box(friendDataPK, Tsk, N, our long-term pk | box(friend pk, our sk, N, data))
//	0x86 | N | Tpk | box(...)           what D forwards along the friend's stored return path
//
// Onion data payloads: 32 | nospam(4) | message (friend request, §8) and
// 156 | no_replay(u64 BE) | DHT pk(32) | packed nodes(≤4) (DHT PK
// announcement). The DHT PK announcement also travels over the DHT as a 0x20
// request of subtype 156 whose data is
// our long-term pk | N | box(friend pk, our sk, N, 156 | ...).
package onion
