//go:build race

package tox

// floodRequests is smaller under the race detector, which makes the
// X25519 operations of every request (two on the attacker's side, two on
// Bob's) several times slower.
const floodRequests = 2000
