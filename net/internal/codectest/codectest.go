// Package codectest holds what the codec tests of net/* share: golden hex
// written readably, arrays filled with one byte, and the golden round trip
// (encode after existing bytes, compare with the golden, parse it back).
// It exists only to be imported by _test.go files.
package codectest

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// Rep returns n copies of the hex byte b, for readable goldens.
func Rep(b string, n int) string { return strings.Repeat(b, n) }

// Unhex decodes golden hex, ignoring spaces.
func Unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad golden hex: %v", err)
	}
	return b
}

// Fill returns a byte array of type T with every byte v.
func Fill[T any](v byte) T {
	var a T
	rv := reflect.ValueOf(&a).Elem()
	for i := range rv.Len() {
		rv.Index(i).SetUint(uint64(v))
	}
	return a
}

// Appender is what every message type of a codec implements.
type Appender interface{ AppendBinary([]byte) ([]byte, error) }

// Golden checks that v's AppendBinary, called on a non-empty slice,
// appends exactly want, and that parse(want) gives v back.
func Golden[T any](t *testing.T, name string, v T, want string, parse func([]byte) (T, error)) {
	t.Helper()
	a, ok := any(&v).(Appender)
	if !ok {
		t.Fatalf("%s: %T has no AppendBinary", name, v)
	}
	got, err := a.AppendBinary([]byte{0xee})
	if err != nil {
		t.Fatalf("%s: append: %v", name, err)
	}
	w := Unhex(t, want)
	if got[0] != 0xee || !bytes.Equal(got[1:], w) {
		t.Fatalf("%s:\n got %x\nwant %x", name, got[1:], w)
	}
	back, err := parse(w)
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Fatalf("%s: parse(golden) = %+v, want %+v", name, back, v)
	}
}
