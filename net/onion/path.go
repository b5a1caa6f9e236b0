package onion

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// anyPath asks pick for a random path slot (c-toxcore passes UINT32_MAX).
const anyPath = ^uint32(0)

// path is a 3-hop onion path (tox-protocol.md §5.2). Hop A sees our DHT pk,
// hops B and C fresh temporary keys.
type path struct {
	id    uint32 // random, with id % numPaths == its slot
	nodes [3]wire.Node
	pks   [3]key.PublicKey    // what each hop sees as the sender
	keys  [3]crypto.SharedKey // beforenm(hop pk, our matching sk)

	created     time.Time
	lastSuccess time.Time
	lastUsed    time.Time
	usedTimes   int // uses without a response
}

// pathSet is one of the client's two sets of 6 paths (self, friends).
type pathSet struct {
	paths [numPaths]path
}

// timedOut reports whether the path in slot is unusable: too many uses
// without a response since the last one (4 s for a new path, 10 s after),
// or older than 20 minutes.
func (ps *pathSet) timedOut(now time.Time, slot int) bool {
	p := &ps.paths[slot]
	if p.created.IsZero() {
		return true
	}
	timeout := pathTimeout
	if p.lastSuccess.Equal(p.created) {
		timeout = pathFirstTimeout
	}
	return (p.usedTimes >= pathMaxNoResponse && expired(now, p.lastUsed, timeout)) ||
		expired(now, p.created, pathMaxLifetime)
}

// exists reports whether the path with id is still alive.
func (ps *pathSet) exists(now time.Time, id uint32) bool {
	slot := int(id % numPaths)
	return !ps.timedOut(now, slot) && ps.paths[slot].id == id
}

// success records a response that came back over path id and returns the
// id, or anyPath when the path is gone. When the path still exists, its
// nodes proved good and are returned for the path-node list.
func (ps *pathSet) success(now time.Time, id uint32) (uint32, []wire.Node) {
	if id == anyPath {
		return anyPath, nil
	}
	p := &ps.paths[id%numPaths]
	if p.id != id || p.created.IsZero() {
		return anyPath, nil
	}
	p.lastSuccess = now
	p.usedTimes = 0
	return id, p.nodes[:]
}

// pick returns the path in slot id % 6 (a random slot for anyPath),
// building a new one there from three random candidates (drawn with
// replacement, so a tiny network may give A, A, A) when it timed out.
func (c *client) pick(now time.Time, ps *pathSet, id uint32) (*path, error) {
	var slot int
	if id == anyPath {
		n, err := c.o.randN(numPaths)
		if err != nil {
			return nil, err
		}
		slot = n
	} else {
		slot = int(id % numPaths)
	}
	if ps.timedOut(now, slot) {
		p, err := c.newPath(now, slot)
		if err != nil {
			return nil, err
		}
		ps.paths[slot] = p
	}
	p := &ps.paths[slot]
	if p.usedTimes < pathMaxNoResponse {
		p.lastUsed = now
	}
	p.usedTimes++
	return p, nil
}

func (c *client) newPath(now time.Time, slot int) (path, error) {
	cands := c.pathCandidates(now)
	if len(cands) == 0 {
		return path{}, ErrNoPath
	}
	var p path
	for i := range p.nodes {
		n, err := c.o.randN(len(cands))
		if err != nil {
			return path{}, err
		}
		p.nodes[i] = cands[n]
	}
	p.pks[0] = c.o.cfg.DHT.Public
	p.keys[0] = c.o.dhtShared(now, p.nodes[0].PK)
	for i := 1; i < 3; i++ {
		t, err := c.o.newPair()
		if err != nil {
			return path{}, err
		}
		p.pks[i] = t.Public
		p.keys[i] = crypto.Precompute(&p.nodes[i].PK, &t.Secret)
	}
	var b [4]byte
	for {
		if err := c.o.readRand(b[:]); err != nil {
			return path{}, err
		}
		p.id = binary.BigEndian.Uint32(b[:])/numPaths*numPaths + uint32(slot)
		if p.id != anyPath {
			break
		}
	}
	p.created = now
	p.lastSuccess = now
	p.usedTimes = pathMaxNoResponse / 2
	return p, nil
}

// send wraps payload for dest in the path's layers and sends it: as a
// 0x80 packet to hop A over UDP, or, in TCP mode (Config.SendTCP), as an
// onion request to a TCP relay that acts as hop A.
func (c *client) send(p *path, dest netip.AddrPort, payload []byte) error {
	n, err := c.o.nonce()
	if err != nil {
		return err
	}
	if c.o.cfg.SendTCP != nil {
		plain, err := sealTCP(p, &n, dest, payload)
		if err != nil {
			return err
		}
		if !c.o.cfg.SendTCP(n, plain) {
			return ErrNoRelay
		}
		return nil
	}
	pkt, err := sealUDP(p, &n, dest, payload)
	if err != nil {
		return err
	}
	c.o.send(p.nodes[0].Addr, pkt)
	return nil
}

// sealInner returns hop A's plaintext: ipport(B) | pk_B | sbox_B(ipport(C)
// | pk_C | sbox_C(ipport(dest) | payload)) (tox-protocol.md §5.2). One
// nonce serves all layers.
func sealInner(p *path, n *key.Nonce, dest netip.AddrPort, payload []byte) ([]byte, error) {
	if len(payload) == 0 || len(payload) > MaxDataSize {
		return nil, fmt.Errorf("%w: onion payload of %d bytes, max %d", wire.ErrLong, len(payload), MaxDataSize)
	}
	inner := payload
	next := dest
	for hop := 2; hop >= 1; hop-- {
		sealed, err := sealLayer(&p.keys[hop], n, next, inner)
		if err != nil {
			return nil, err
		}
		inner = append(append(make([]byte, 0, key.Size+len(sealed)), p.pks[hop][:]...), sealed...)
		next = p.nodes[hop].Addr
	}
	layer := OnionLayer{Next: next, Data: inner}
	return layer.AppendBinary(make([]byte, 0, IPPortSize+len(inner)))
}

// sealUDP returns the 0x80 packet for hop A: nonce | pk_A | sbox_A(hop A's
// plaintext).
func sealUDP(p *path, n *key.Nonce, dest netip.AddrPort, payload []byte) ([]byte, error) {
	plain, err := sealInner(p, n, dest, payload)
	if err != nil {
		return nil, err
	}
	sealed := crypto.SealShared(make([]byte, 0, len(plain)+macSize), plain, n, &p.keys[0])
	req := OnionRequest{Kind: wire.KindOnionSendInitial, Nonce: *n, PK: p.pks[0], Sealed: sealed}
	return req.AppendBinary(make([]byte, 0, onionRequestHeader+len(sealed)))
}

// sealTCP returns the payload of a TCP relay onion request (c-toxcore
// create_onion_packet_tcp): hop A's plaintext, which the relay, acting as
// hop A, sends on to hop B as a 0x81. The path's hop A is not used.
func sealTCP(p *path, n *key.Nonce, dest netip.AddrPort, payload []byte) ([]byte, error) {
	return sealInner(p, n, dest, payload)
}

// sealLayer returns sbox(k, n, ipport(next) | data).
func sealLayer(k *crypto.SharedKey, n *key.Nonce, next netip.AddrPort, data []byte) ([]byte, error) {
	layer := OnionLayer{Next: next, Data: data}
	plain, err := layer.AppendBinary(make([]byte, 0, IPPortSize+len(data)))
	if err != nil {
		return nil, err
	}
	return crypto.SealShared(make([]byte, 0, len(plain)+macSize), plain, n, k), nil
}
