package dht

import (
	"bytes"
	"testing"

	"parley/net/key"
)

func TestSubtree(t *testing.T) {
	var k key.PublicKey
	k[0] = 0b1011_0000
	s := subtree{key: k, depth: 3} // keys starting 101
	in, out := k, k
	in[0], in[31] = 0b1010_1111, 0xff
	out[0] = 0b1001_0000
	if !s.contains(&in) || s.contains(&out) {
		t.Fatal("contains")
	}
	c0, c1 := s.child(0), s.child(1)
	if c0.depth != 4 || c0.key[0] != 0b1010_0000 || c1.key[0] != 0b1011_0000 {
		t.Fatalf("children %08b %08b", c0.key[0], c1.key[0])
	}
	// The smallest distance from a target starting 100 to keys starting
	// 101 is 001 followed by zeros.
	var target key.PublicKey
	target[0], target[5] = 0b1000_0000, 0xff
	min := s.minDist(&target)
	want := [key.Size]byte{0b0010_0000}
	if !bytes.Equal(min[:], want[:]) {
		t.Fatalf("minDist %x", min)
	}
	deep := subtree{key: k, depth: 255}
	last := k
	last[31] ^= 1
	if !deep.contains(&last) || !deep.contains(&k) {
		t.Fatal("depth 255 holds both keys that differ in the last bit only")
	}
	if all := (subtree{depth: 0}); !all.contains(&target) {
		t.Fatal("depth 0 holds every key")
	}
}

// TestCrawlSeeds checks that the seeds cover exactly the keys closer to
// the target than the k-th candidate.
func TestCrawlSeeds(t *testing.T) {
	n := newTestNet(t, 60)
	d := n.add(addr4(1))
	var target, x key.PublicKey
	target[0], target[1] = 0x12, 0x34
	x[0], x[1] = 0x16, 0xf0 // differs from the target at bits 5, 8, 9 and 13
	l := &lookup{target: target, k: 1, cands: []candidate{{state: candAnswered}}}
	l.cands[0].node.PK = x
	d.startCrawl(l)
	var depths []int
	for _, s := range l.crawl.subs {
		depths = append(depths, s.depth)
	}
	want := []int{6, 9, 10, 14}
	if len(depths) != len(want) {
		t.Fatalf("seed depths %v, want %v", depths, want)
	}
	for i, w := range want {
		if depths[i] != w {
			t.Fatalf("seed depths %v, want %v", depths, want)
		}
	}
	// Every key closer to the target than x is in some seed, x in none.
	for trial := 0; trial < 2000; trial++ {
		var y key.PublicKey
		for i := range y {
			y[i] = byte(n.rnd.Uint32())
		}
		y[0] = target[0] ^ byte(trial)&0x0f
		y[1] = byte(trial >> 4)
		closer := key.Distance(&target, &y, &x) < 0
		covered := false
		for i := range l.crawl.subs {
			covered = covered || l.crawl.subs[i].contains(&y)
		}
		if closer != covered {
			t.Fatalf("key %x: closer %v, covered %v", y[:2], closer, covered)
		}
	}
}
