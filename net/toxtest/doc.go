// Package toxtest is the interop test kit: it builds and drives toxpeer, a
// scriptable libtoxcore 0.2.18 peer written in C (testdata/toxpeer*.c), and
// tox-bootstrapd, so Parley's interop tests can talk to the real c-toxcore on
// 127.0.0.1. It is imported only by _test.go files carrying the build tag
// "interop"; it may import testing. Missing tools make tests fail, never skip:
// gcc, pkg-config and libtoxcore-dev for the peer, toxcore-utils for
// tox-bootstrapd (tox-protocol.md §13, test-env.md §5).
//
// # Processes
//
// BuildC compiles a C program against libtoxcore into a cache directory keyed
// by a hash of its sources and flags. StartPeer runs one toxpeer process (one
// Tox instance) and StartBootstrapd one tox-bootstrapd; both stop in
// t.Cleanup, and when the test has failed the tail of their output is logged.
// Ports come from FreePort: each peer binds inside a narrow range of its own
// that avoids toxcore's default 33445..33545, so test packages running at the
// same time do not collide, and reports the port it got.
//
// # The toxpeer line protocol
//
// The full reference is the comment at the top of testdata/toxpeer.c. In
// short: commands go to the peer's stdin, one line each, words separated by
// spaces. Free text, paths and binary data are hex ("-" is the empty
// string): use Hex to encode and Event.Text to decode. Every output line is
// "<ms> <word> <args...>", ms being milliseconds since the peer started.
// Each command gets exactly one reply, in order: "ok <cmd> [values]" or
// "err <cmd> <REASON> [details]". Peer.Do sends a command and returns the
// values or a *CommandError. All other lines are events. Peer.Wait takes
// the oldest event not yet taken that matches (Is builds matchers), so an
// event that came before the Wait counts; to ignore older events (a friend's
// typing state is sent once on connecting), wrap the matcher in
// Since(p.Mark(), ...). The events are:
//
//	ready <address> <dhtpk> <udpport> <pk> <tcpport>
//	fatal <what> <REASON>                 (startup failed)
//	self_connection none|tcp|udp
//	friend_request <pk> <hexmsg>          friend_accepted <n> <pk> (--auto-accept)
//	friend_connection <n> none|tcp|udp
//	message <n> normal|action <hextext>   receipt <n> <msgid>
//	friend_name <n> <hex>                 friend_status_message <n> <hex>
//	friend_status <n> none|away|busy      friend_typing <n> 0|1
//	lossless_packet <n> <hex>             lossy_packet <n> <hex>
//	log <LEVEL> <file>:<line> <func> <hexmsg>
//	bye                                   (clean exit)
//
// Commands: help, echo, quit; bootstrap <host> <port> <dhtpk>, add_tcp_relay
// <host> <port> <pk>, address, public_key, dht_id, port, self_status, nospam,
// set_nospam <hex8>, name, set_name <hex>, status_message,
// set_status_message <hex>, set_status none|away|busy, save <hexpath>
// [hexpass]; friend_add <address> <hexmsg>, friend_add_norequest <pk>,
// friend_delete <n>, friend_by_pk <pk>, friend_list, friend_info <n>, send <n>
// normal|action <hextext>, set_typing <n> 0|1, send_lossless <n> <hex>,
// send_lossy <n> <hex>.
//
// To extend the peer (file transfer, toxav), add a module file
// testdata/toxpeer_<feature>.c as described in testdata/toxpeer.h; every
// testdata/toxpeer*.c is compiled in.
//
// Loopback gotchas (tox-protocol.md §13.3): a peer's own self_connection
// stays "tcp" on 127.0.0.1 even though it talks UDP, while friend
// connections do reach "udp"; the first self connection takes about 7 s, a
// connected friend pair about 10 s.
package toxtest
