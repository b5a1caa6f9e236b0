// Package tox owns a running Parley node: its one UDP socket
// (net/transport) and the protocol state machines behind it (net/dht now;
// sessions, the onion and friends as they arrive), all driven by a single
// owner goroutine, the node loop.
//
// The socket's read goroutine decodes nothing: each handler copies the
// datagram into a pooled buffer and hands it to the loop with a
// non-blocking send, so a busy loop drops (and counts) packets instead of
// stalling the socket. The loop handles packets in arrival order, runs the
// state machines' timers, and runs the functions callers submit with Do, so
// the state machines are never touched by two goroutines.
//
// TCP relays (relays.go, relaypath.go; tox-protocol.md §9) are the one
// other input: each relay connection's goroutines forward its events to
// the loop over a channel, and the loop queues its sends to them without
// blocking. Friends that direct UDP does not reach are routed to through
// the relays, and net_crypto runs over them (net/session's TCP path).
// With Config.DisableUDP the node runs on the relays alone: nothing goes
// on the socket, and the onion's paths start at a relay (onion_tcp.go).
//
// Commands take a context and return when the loop has run them; Close
// stops the loop, the socket and the relay connections and waits for
// every goroutine to exit.
package tox
