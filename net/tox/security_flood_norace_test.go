//go:build !race

package tox

// floodRequests is how many friend requests the flood test sends.
const floodRequests = 20000
