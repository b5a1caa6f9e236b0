//go:build !race

package dhtsim

func scaleNodes() int { return 1000 }
