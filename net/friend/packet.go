package friend

import (
	"fmt"

	"parley/net/wire"
)

// checkID checks that b starts with id; name is for the error.
func checkID(b []byte, id byte, name string) error {
	if len(b) < 1 {
		return fmt.Errorf("%w: empty %s packet", wire.ErrShort, name)
	}
	if b[0] != id {
		return fmt.Errorf("%w: %s packet has id %d, want %d", wire.ErrKind, name, b[0], id)
	}
	return nil
}

// checkSize checks that a packet is exactly want bytes long.
func checkSize(b []byte, want int, name string) error {
	if len(b) < want {
		return fmt.Errorf("%w: %s packet is %d bytes, want %d", wire.ErrShort, name, len(b), want)
	}
	if len(b) > want {
		return fmt.Errorf("%w: %s packet is %d bytes, want %d", wire.ErrLong, name, len(b), want)
	}
	return nil
}

// parseEmpty parses a packet that is its id alone.
func parseEmpty(b []byte, id byte, name string) error {
	if err := checkID(b, id, name); err != nil {
		return err
	}
	return checkSize(b, 1, name)
}

// checkText checks a text field of n bytes against min..max.
func checkText(n, min, max int, name string) error {
	if n < min {
		return fmt.Errorf("%w: %s of %d bytes, want at least %d", wire.ErrShort, name, n, min)
	}
	if n > max {
		return fmt.Errorf("%w: %s of %d bytes, limit %d", wire.ErrLong, name, n, max)
	}
	return nil
}
