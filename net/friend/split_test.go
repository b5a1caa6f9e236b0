package friend

import (
	"strings"
	"testing"
)

func TestSplitMessage(t *testing.T) {
	words := strings.Repeat("abcd ", 400) // 2000 bytes, a space every 5
	cases := []struct {
		name  string
		text  string
		limit int
		want  []int // part lengths
	}{
		{"short", "hello", 10, []int{5}},
		{"exact", strings.Repeat("a", 10), 10, []int{10}},
		{"empty", "", 10, nil},
		{"no spaces", strings.Repeat("a", 25), 10, []int{10, 10, 5}},
		{"after the last space", "aaaa bbbb cccc", 10, []int{10, 4}},
		{"space at 0 does not count", " aaaaaaaaaaaaa", 10, []int{10, 4}},
		{"newline in the second half wins", "aa bb\ncc dd", 10, []int{6, 5}},
		{"early newline loses to a later space", "a\nbbb cccc dd", 10, []int{6, 7}},
		{"3-byte runes kept whole", strings.Repeat("€", 7), 10, []int{9, 9, 3}},
		{"4-byte runes kept whole", strings.Repeat("👋", 5), 10, []int{8, 8, 4}},
		{"protocol limit with words", words, MaxMessageLength, []int{1370, 630}},
		{"tiny limit is 4", "abcdefgh", 1, []int{4, 4}},
	}
	for _, c := range cases {
		parts := SplitMessage(c.text, c.limit)
		var got []int
		for _, p := range parts {
			got = append(got, len(p))
		}
		if strings.Join(parts, "") != c.text || len(got) != len(c.want) {
			t.Errorf("%s: parts %d, want %d", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: parts %d, want %d", c.name, got, c.want)
				break
			}
		}
	}
}
