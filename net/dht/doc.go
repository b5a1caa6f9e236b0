// Package dht owns Parley's DHT: the node lists, the ping and get-nodes
// exchanges, DHT-routed requests (0x20), LAN discovery (0x21) and an
// iterative lookup, speaking exactly what c-toxcore 0.2.18 speaks
// (tox-protocol.md §3 and §4).
//
// # Shape
//
// DHT is a sans-IO state machine. It never opens a socket, starts a
// goroutine or reads the clock: every method that needs the time takes
// `now`, outgoing packets leave through Config.Send, and randomness (nonces,
// ping ids, random node choice) comes from Config.Rand. A DHT is not safe
// for concurrent use: one owner goroutine calls HandlePacket for every
// packet of kinds 0x00, 0x01, 0x02, 0x04, 0x20 and 0x21, and Tick about
// every 50 ms to 1 s (NextDeadline says when work is next due).
//
// # Byte layout
//
// The four DHT packets share one envelope (tox-protocol.md §3.1):
//
//	kind(1) | sender DHT pk(32) | nonce(24) | sbox(beforenm(receiver pk, sender sk), nonce, plain)
//
// where sbox adds a 16-byte MAC in front of the ciphertext. The plain parts:
//
//	0x00 ping request    plain = 0x00 | ping_id(8)                    packet 82 bytes
//	0x01 ping response   plain = 0x01 | ping_id(8)                    packet 82 bytes
//	0x02 get nodes       plain = search pk(32) | ping_id(8)           packet 113 bytes
//	0x04 send nodes      plain = count(1) | packed nodes | ping_id(8) packet 82 + nodes bytes
//
// Packed nodes are family(1) | IP(4 or 16) | port(2, BE) | pk(32)
// (net/wire). A send-nodes reply holds at most 4 nodes, the node bytes must
// fill the space exactly, the count must match, and TCP families are
// refused (§3.3). The ping_id is opaque: ours are random, theirs are echoed.
//
// The DHT-routed request (§4.1) is a box, not an sbox:
//
//	0x20 | receiver DHT pk(32) | sender DHT pk(32) | nonce(24) | box(receiver pk, sender sk, nonce, subtype(1) | data)
//
// at most 1024 bytes when built or consumed here (MAX_CRYPTO_REQUEST_SIZE);
// like c-toxcore we forward packets for other receivers up to 1040 bytes.
// LAN discovery (§4.3) is 0x21 | sender DHT pk(32), 33 bytes, in clear.
//
// The codecs (Packet, PingPayload, NodesRequest, NodesResponse, Request,
// RequestPayload, LANDiscovery, NATPing) are pure Append/Parse pairs;
// encryption is a separate step (seal.go).
//
// # Lists (§3.4)
//
// The close list has 128 buckets of 8 entries, indexed by the number of
// leading bits an entry's key shares with ours (capped at 127); buckets are
// allocated when first used, so a node in a network of N peers holds about
// 8·log2(N) entries. A node enters a bucket only when a slot is empty or
// holds a bad node. Every DHT friend (and two fake friends with random keys,
// whose lists feed onion paths) has a list of the 8 nodes closest to it; a
// closer node replaces the worst one. Each entry keeps an IPv4 and an IPv6
// association: the address, when it last answered, when we last sent it a
// keep-alive get-nodes, and ret_ip_port, the address this node reported for
// the list's key (for a friend list: where that node sees the friend; for
// the close list: where it sees us).
//
// Nodes enter lists only by answering us: a valid ping response or
// send-nodes reply from the address we asked. Requests we receive are always
// answered, and their sender is queued to be pinged (at most 32 every 2 s)
// if it could enter the close list.
//
// # Timers (§3.5)
//
// Every list entry gets a get-nodes keep-alive every 60 s; an entry silent
// for 122 s is bad (not returned, not counted), for 182 s it is no longer
// queried, and when every close entry is that old they are all reset to bad
// so that we keep trying. Every 20 s (every second for the first 5 times)
// one random good node of each list is asked for nodes close to the list's
// key. Periodic work runs at most once per second, and only when something
// is due (NextDeadline), so an idle Tick costs nanoseconds.
//
// # Beyond the lists
//
// HandleRequest registers handlers for 0x20 subtypes addressed to us;
// requests for other keys in our close list are forwarded unchanged, and
// RouteToFriend sends one through the nodes that report a friend's address
// (§4.1). NAT pings (subtype 254) and hole punching (§4.2) are built in.
// Lookup is an iterative Kademlia search on top of get-nodes, which
// c-toxcore does not have (lookup.go), followed by a crawl of the target's
// neighbourhood that a 4-node reply would otherwise hide (crawl.go).
//
// # Deliberate differences from c-toxcore
//
// A send-nodes reply with no node is accepted (c-toxcore drops it). A
// response from the wrong address does not use up the ping id, and a
// second response to the same id is told apart as a replay. A node at an
// address where another key used to be replaces that entry at once
// (c-toxcore first zeroes it). RouteToFriend also sends to the friend
// directly when its address is known and needs no minimum number of
// reporting nodes. None of these change a byte on the wire.
package dht
