package toxtest

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// emptyHex is how the line protocol writes the empty string, which would
// otherwise vanish between two spaces.
const emptyHex = "-"

// Hex encodes s for a toxpeer text argument: upper-case hex, or "-" for the
// empty string. Any bytes pass, including spaces, newlines and invalid UTF-8.
func Hex(s string) string { return HexBytes([]byte(s)) }

// HexBytes is Hex for binary data.
func HexBytes(b []byte) string {
	if len(b) == 0 {
		return emptyHex
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

// Unhex decodes a hex argument written by toxpeer ("-" is empty).
func Unhex(s string) ([]byte, error) {
	if s == emptyHex {
		return []byte{}, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("toxtest: bad hex argument %q: %w", s, err)
	}
	return b, nil
}
