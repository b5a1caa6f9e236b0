package nodes

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"parley/net/atomicfile"
	"parley/net/wire"
)

// Cache is the file of last-good DHT nodes, in the nodes.tox.chat format.
// A node that answered in the last run is the best bet for the next start.
type Cache struct {
	Path string
}

// Load reads the cache. A missing file is an empty cache, not an error; a
// corrupt one is an error naming the file (the caller carries on without it).
func (c Cache) Load() ([]Entry, error) {
	b, err := os.ReadFile(c.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("nodes cache: %w", err)
	}
	e, err := ParseJSON(b)
	if err != nil {
		return nil, fmt.Errorf("nodes cache %s: %w", c.Path, err)
	}
	return e, nil
}

// Save atomically replaces the cache with nodes (UDP nodes only), stamped
// with now (Unix seconds).
func (c Cache) Save(nodes []wire.Node, now int64) error {
	entries := make([]Entry, 0, len(nodes))
	for _, n := range nodes {
		if n.TCP {
			continue
		}
		e := Entry{Port: n.Addr.Port(), PK: n.PK, LastPing: now}
		if a := n.Addr.Addr().Unmap(); a.Is4() {
			e.IPv4 = a.String()
		} else {
			e.IPv6 = a.String()
		}
		entries = append(entries, e)
	}
	b, err := MarshalJSON(entries, now)
	if err != nil {
		return fmt.Errorf("nodes cache: %w", err)
	}
	return atomicfile.WriteFile(c.Path, b, 0o600)
}

// LoadFile reads a user-editable list in the nodes.tox.chat format.
func LoadFile(path string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nodes list: %w", err)
	}
	e, err := ParseJSON(b)
	if err != nil {
		return nil, fmt.Errorf("nodes list %s: %w", path, err)
	}
	return e, nil
}
