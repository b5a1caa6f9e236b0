package dht

import (
	"net/netip"

	"parley/net/key"
)

// bucketIndex is the close-list bucket of pk: the leading bits it shares
// with our key, capped at 127 (c-toxcore bit_by_bit_cmp, §3.4).
func (d *DHT) bucketIndex(pk *key.PublicKey) int {
	i := key.CommonPrefixBits(pk, &d.self)
	if i >= BucketCount {
		i = BucketCount - 1
	}
	return i
}

// closeEntry returns pk's close-list entry, or nil.
func (d *DHT) closeEntry(pk *key.PublicKey) *client {
	b := d.close[d.bucketIndex(pk)]
	if b == nil {
		return nil
	}
	for i := range b {
		if b[i].pk == *pk && !b[i].empty() {
			return &b[i]
		}
	}
	return nil
}

// empty reports whether the slot never held a node (or was cleared).
func (c *client) empty() bool { return c.v4.seen == 0 && c.v6.seen == 0 }

// closeAddable reports whether pk's bucket has an empty slot or a bad node
// (c-toxcore node_addable_to_close_list).
func (d *DHT) closeAddable(pk *key.PublicKey) bool {
	b := d.close[d.bucketIndex(pk)]
	if b == nil {
		return true
	}
	for i := range b {
		if b[i].replaceable(d.now) {
			return true
		}
	}
	return false
}

// closeHasGood reports whether pk is in the close list with a good
// association for addr's family (c-toxcore is_pk_in_close_list).
func (d *DHT) closeHasGood(pk *key.PublicKey, addr netip.AddrPort) bool {
	c := d.closeEntry(pk)
	return c != nil && c.assocFor(addr).good(d.now)
}

// addToClose puts pk into a free or bad slot of its bucket.
func (d *DHT) addToClose(pk *key.PublicKey, addr netip.AddrPort) bool {
	i := d.bucketIndex(pk)
	b := d.close[i]
	if b == nil {
		b = new(bucket)
		d.close[i] = b
	}
	for j := range b {
		if b[j].replaceable(d.now) {
			b[j].reset(*pk, addr, d.now)
			return true
		}
	}
	return false
}

// forgetAddrElsewhere clears an entry of another key at exactly addr: the
// node behind addr restarted with a new DHT key (keys are random per
// start), and c-toxcore, too, stops trusting the old key there.
func forgetAddrElsewhere(list []client, pk *key.PublicKey, addr netip.AddrPort) {
	for i := range list {
		c := &list[i]
		if c.pk != *pk && !c.empty() && c.hasAddr(addr) {
			*c = client{}
		}
	}
}

// eachClose calls fn for every occupied close-list slot.
func (d *DHT) eachClose(fn func(c *client)) {
	for _, b := range d.close {
		if b == nil {
			continue
		}
		for i := range b {
			if !b[i].empty() {
				fn(&b[i])
			}
		}
	}
}
