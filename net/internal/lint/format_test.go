package lint

import (
	"bytes"
	"go/format"
	"testing"
)

// TestGofmt fails for every .go file that gofmt would change (wireguard-go's
// format_test.go). Fix with `gofmt -w FILE`.
func TestGofmt(t *testing.T) {
	for _, f := range files(t) {
		if f.err != nil {
			t.Errorf("%s does not parse: %v", f.rel, f.err)
			continue
		}
		want, err := format.Source(f.src)
		if err != nil {
			t.Errorf("%s: gofmt cannot format it: %v", f.rel, err)
			continue
		}
		if !bytes.Equal(f.src, want) {
			t.Errorf("%s is not gofmt-formatted; run gofmt -w %s", f.rel, f.rel)
		}
	}
}
