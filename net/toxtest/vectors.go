package toxtest

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Vector is one line printed by a C vector program (net/crypto and
// net/dht testdata/vectors.c): a kind, then name=value fields.
type Vector struct {
	Line   int
	Kind   string
	Fields map[string]string
}

func (v Vector) String() string { return fmt.Sprintf("line %d (%s)", v.Line, v.Kind) }

// ParseVectors reads a vector program's output; blank lines and lines
// starting with # are skipped.
func ParseVectors(data []byte) ([]Vector, error) {
	var vs []Vector
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words := strings.Fields(line)
		v := Vector{Line: n, Kind: words[0], Fields: map[string]string{}}
		for _, w := range words[1:] {
			name, value, ok := strings.Cut(w, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: field %q has no '='", n, w)
			}
			v.Fields[name] = value
		}
		vs = append(vs, v)
	}
	return vs, sc.Err()
}
