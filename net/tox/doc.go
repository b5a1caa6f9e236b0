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
// Commands take a context and return when the loop has run them; Close
// stops the loop and the socket and waits for both goroutines to exit.
package tox
