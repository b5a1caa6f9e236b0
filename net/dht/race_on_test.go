//go:build race

package dht

// raceEnabled: the race detector slows X25519 about twentyfold, so the
// largest simulations shrink to stay well under 30 s.
const raceEnabled = true
