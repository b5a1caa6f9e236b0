//go:build race

package dhtsim

// scaleNodes is smaller under the race detector, which slows the
// simulation tenfold; `make test` runs this package without -race too, at
// full size.
func scaleNodes() int { return 200 }
