package onion

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// relay forwards onion requests one hop outward and responses one hop back
// (tox-protocol.md §5.2). It keeps no per-path state: everything it needs
// to route a response back travels in the return blobs, sealed with its own
// symmetric key. The key is rotated every 2 h so paths expire eventually;
// unlike c-toxcore, the previous key still opens blobs made before the
// rotation, so responses in flight (and return paths an announce server
// holds for up to 300 s) survive one rotation.
type relay struct {
	o       *Onion
	sym     crypto.SharedKey
	prev    crypto.SharedKey
	hasPrev bool
	symTime time.Time
	// keys caches beforenm(sender pk, our DHT sk) per layer, as c-toxcore
	// keeps shared_keys_1..3 (hop 1 senders are DHT keys, hops 2 and 3 see
	// per-path temporary keys).
	keys [3]*crypto.SharedKeys
}

const sharedKeyCache = 1024

func (r *relay) init(o *Onion) error {
	r.o = o
	if err := o.readRand(r.sym[:]); err != nil {
		return err
	}
	for i := range r.keys {
		r.keys[i] = crypto.NewSharedKeys(o.cfg.DHT.Secret, sharedKeyCache, 600*time.Second)
	}
	return nil
}

// rotate changes the symmetric key every symKeyRefresh.
func (r *relay) rotate(now time.Time) {
	if r.symTime.IsZero() {
		r.symTime = now
		return
	}
	if now.Sub(r.symTime) < symKeyRefresh {
		return
	}
	var k crypto.SharedKey
	if err := r.o.readRand(k[:]); err != nil {
		r.o.logf("relay key rotation postponed: %v", err)
		return
	}
	r.prev, r.hasPrev = r.sym, true
	r.sym = k
	r.symTime = now
}

// hopKey returns the shared key for a request of the given kind.
func (r *relay) hopKey(now time.Time, k wire.Kind, pk key.PublicKey) crypto.SharedKey {
	switch k {
	case wire.KindOnionSendInitial:
		return r.o.dhtShared(now, pk)
	case wire.KindOnionSend1:
		return r.keys[1].Get(now, &pk)
	default:
		return r.keys[2].Get(now, &pk)
	}
}

// sealReturn makes a return blob N | sbox(sym, N, ipport(prev) | inner).
func (r *relay) sealReturn(prev netip.AddrPort, inner []byte) ([]byte, error) {
	rp := ReturnPlain{Prev: prev, Inner: inner}
	plain, err := rp.AppendBinary(make([]byte, 0, IPPortSize+Return2Size))
	if err != nil {
		return nil, err
	}
	n, err := r.o.nonce()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, nonceSize+len(plain)+macSize)
	out = append(out, n[:]...)
	return crypto.SealShared(out, plain, &n, &r.sym), nil
}

// openReturn opens a return blob with the current key or, failing that,
// the previous one.
func (r *relay) openReturn(blob []byte) (ReturnPlain, error) {
	var n key.Nonce
	copy(n[:], blob)
	plain, err := crypto.OpenShared(nil, blob[nonceSize:], &n, &r.sym)
	if err != nil && r.hasPrev {
		plain, err = crypto.OpenShared(nil, blob[nonceSize:], &n, &r.prev)
	}
	if err != nil {
		return ReturnPlain{}, fmt.Errorf("%w: return blob", wire.ErrDecrypt)
	}
	return ParseReturnPlain(plain)
}

// handleRequest peels one layer off a 0x80, 0x81 or 0x82 request.
func (r *relay) handleRequest(now time.Time, src netip.AddrPort, pkt []byte) error {
	r.rotate(now)
	req, err := ParseOnionRequest(pkt)
	if err != nil {
		return err
	}
	k := r.hopKey(now, req.Kind, req.PK)
	plain, err := crypto.OpenShared(nil, req.Sealed, &req.Nonce, &k)
	if err != nil {
		return fmt.Errorf("%w: %v layer", wire.ErrDecrypt, req.Kind)
	}
	layer, err := ParseOnionLayer(plain)
	if err != nil {
		return err
	}
	if !sendable(layer.Next) {
		return fmt.Errorf("%w: next hop %v", ErrBadAddress, layer.Next)
	}
	ret, err := r.sealReturn(src, req.Return)
	if err != nil {
		return err
	}
	var out []byte
	if req.Kind == wire.KindOnionSend2 {
		// Hop C: only announce and data requests leave the onion.
		if p := wire.Kind(layer.Data[0]); p != wire.KindAnnounceRequest && p != wire.KindOnionDataRequest {
			return fmt.Errorf("%w: exit payload %v", wire.ErrKind, p)
		}
		out = make([]byte, 0, len(layer.Data)+len(ret))
		out = append(append(out, layer.Data...), ret...)
	} else {
		if len(layer.Data) <= key.Size {
			return fmt.Errorf("%w: onion layer without a sealed part", wire.ErrShort)
		}
		next := OnionRequest{Kind: req.Kind + 1, Nonce: req.Nonce, Sealed: layer.Data[key.Size:], Return: ret}
		copy(next.PK[:], layer.Data)
		out, err = next.AppendBinary(make([]byte, 0, onionRequestHeader+len(next.Sealed)+len(ret)))
		if err != nil {
			return err
		}
	}
	r.o.stats.Relayed++
	r.o.send(layer.Next, out)
	return nil
}

// handleResponse passes a 0x8c, 0x8d or 0x8e response one hop back.
func (r *relay) handleResponse(now time.Time, src netip.AddrPort, pkt []byte) error {
	r.rotate(now)
	resp, err := ParseOnionResponse(pkt)
	if err != nil {
		return err
	}
	rp, err := r.openReturn(resp.Return)
	if err != nil {
		return err
	}
	wantInner := len(resp.Return) - (nonceSize + IPPortSize + macSize)
	if len(rp.Inner) != wantInner {
		return fmt.Errorf("%w: %v return holds %d inner bytes, want %d", wire.ErrMalformed, resp.Kind, len(rp.Inner), wantInner)
	}
	if !sendable(rp.Prev) {
		return fmt.Errorf("%w: previous hop %v", ErrBadAddress, rp.Prev)
	}
	var out []byte
	if resp.Kind == wire.KindOnionRecv1 {
		out = append([]byte(nil), resp.Payload...)
	} else {
		back := OnionResponse{Kind: resp.Kind + 1, Return: rp.Inner, Payload: resp.Payload}
		out, err = back.AppendBinary(make([]byte, 0, 1+len(rp.Inner)+len(resp.Payload)))
		if err != nil {
			return err
		}
	}
	r.o.stats.Returned++
	r.o.send(rp.Prev, out)
	return nil
}
