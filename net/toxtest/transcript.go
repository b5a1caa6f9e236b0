package toxtest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// transcriptMax bounds the lines kept per process; tailLines is how many a
// failed test logs.
const (
	transcriptMax = 5000
	tailLines     = 150
)

// transcript keeps the last lines a process printed (and, for toxpeer, the
// commands it was sent) for failure diagnostics. Safe for concurrent use.
type transcript struct {
	mu      sync.Mutex
	lines   []string
	dropped int
}

func (tr *transcript) add(line string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.lines) == transcriptMax {
		n := copy(tr.lines, tr.lines[transcriptMax/2:])
		tr.lines = tr.lines[:n]
		tr.dropped += transcriptMax - n
	}
	tr.lines = append(tr.lines, line)
}

// all returns a copy of the kept lines and how many older ones were dropped.
func (tr *transcript) all() ([]string, int) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.lines...), tr.dropped
}

// logTail logs the last tailLines lines, hex text decoded.
func (tr *transcript) logTail(t testing.TB, who string) {
	t.Helper()
	lines, dropped := tr.all()
	skipped := len(lines) - tailLines
	if skipped < 0 {
		skipped = 0
	}
	var b strings.Builder
	fmt.Fprintf(&b, "toxtest: output of %s", who)
	if skipped+dropped > 0 {
		fmt.Fprintf(&b, " (%d earlier lines not shown)", skipped+dropped)
	}
	b.WriteString(":")
	for _, l := range lines[skipped:] {
		b.WriteString("\n\t")
		b.WriteString(annotate(l))
	}
	t.Log(b.String())
}
