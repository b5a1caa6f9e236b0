//go:build race

package netsim

// raceEnabled scales mass tests down under the race detector, which slows
// the event loop roughly tenfold.
const raceEnabled = true
