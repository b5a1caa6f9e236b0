package onion

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// server is the announce server (tox-protocol.md §5.3, §5.4): it answers
// 0x83 announce requests that reach it through an onion path, stores
// announcers who echo a valid ping id, tells searchers the data key of a
// stored key, and forwards 0x85 onion data to a stored key along the
// return path it announced with.
type server struct {
	o     *Onion
	auth  timedAuth
	store store
	// keys caches beforenm(requester pk, our DHT sk) (c-toxcore's
	// shared_keys_recv); requesters are long-term or per-friend temp keys.
	keys *crypto.SharedKeys
}

func (s *server) init(o *Onion) error {
	s.o = o
	s.store.base = o.cfg.DHT.Public
	s.keys = crypto.NewSharedKeys(o.cfg.DHT.Secret, sharedKeyCache, 600*time.Second)
	return o.readRand(s.auth.key[:])
}

// splitReturn splits what hop C delivers, payload | R3.
func splitReturn(pkt []byte) (payload, ret []byte) {
	return pkt[:len(pkt)-Return3Size], pkt[len(pkt)-Return3Size:]
}

// handleAnnounce answers an announce request: 0x83 (177 bytes) | R3.
func (s *server) handleAnnounce(now time.Time, src netip.AddrPort, pkt []byte) error {
	const want = AnnounceRequestSize + Return3Size
	if len(pkt) < want {
		return fmt.Errorf("%w: announce request with return of %d bytes, want %d", wire.ErrShort, len(pkt), want)
	}
	if len(pkt) > want {
		return fmt.Errorf("%w: announce request with return of %d bytes, want %d", wire.ErrLong, len(pkt), want)
	}
	body, ret := splitReturn(pkt)
	req, err := ParseAnnounceRequest(body)
	if err != nil {
		return err
	}
	k := s.keys.Get(now, &req.SenderPK)
	plain, err := crypto.OpenShared(nil, req.Sealed[:], &req.Nonce, &k)
	if err != nil {
		return fmt.Errorf("%w: announce request", wire.ErrDecrypt)
	}
	ap, err := ParseAnnouncePlain(plain)
	if err != nil {
		return err
	}

	var e *entry
	if s.auth.check(now, ap.PingID, req.SenderPK, src) {
		e = s.store.add(now, req.SenderPK, ap.DataPK, src, ret)
	} else {
		e = s.store.find(now, ap.SearchPK)
	}
	rp := AnnounceResponsePlain{IsStored: NotStored, Key: s.auth.generate(now, req.SenderPK, src)}
	switch {
	case e == nil:
	case e.pk == req.SenderPK:
		if e.dataPK == ap.DataPK {
			rp.IsStored = StoredSelf
		}
	default:
		rp.IsStored = FoundOther
		rp.Key = e.dataPK
	}
	for _, n := range s.o.cfg.Closest(ap.SearchPK, maxSentNodes, isLAN(src.Addr())) {
		if !n.TCP && len(rp.Nodes) < maxSentNodes {
			rp.Nodes = append(rp.Nodes, n)
		}
	}
	rplain, err := rp.AppendBinary(make([]byte, 0, 1+PingIDSize+maxSentNodes*wire.PackedNode6Size))
	if err != nil {
		return err
	}
	nonce, err := s.o.nonce()
	if err != nil {
		return err
	}
	resp := AnnounceResponse{Sendback: ap.Sendback, Nonce: nonce, Sealed: crypto.SealShared(nil, rplain, &nonce, &k)}
	payload, err := resp.AppendBinary(nil)
	if err != nil {
		return err
	}
	out := OnionResponse{Kind: wire.KindOnionRecv3, Return: ret, Payload: payload}
	b, err := out.AppendBinary(nil)
	if err != nil {
		return err
	}
	s.o.stats.Announces++
	s.o.send(src, b)
	return nil
}

// handleData forwards onion data (0x85 ... | R3) to the announced key as
// 0x86 along its stored return path.
func (s *server) handleData(now time.Time, src netip.AddrPort, pkt []byte) error {
	if len(pkt) <= dataRequestMin+Return3Size {
		return fmt.Errorf("%w: data request with return of %d bytes", wire.ErrShort, len(pkt))
	}
	if len(pkt) > MaxPacketSize {
		return fmt.Errorf("%w: data request of %d bytes", wire.ErrLong, len(pkt))
	}
	body, _ := splitReturn(pkt)
	req, err := ParseDataRequest(body)
	if err != nil {
		return err
	}
	e := s.store.find(now, req.Dest)
	if e == nil {
		return fmt.Errorf("%w: %s", ErrNotAnnounced, req.Dest.Short())
	}
	payload := make([]byte, 0, len(body)-key.Size)
	payload = append(payload, byte(wire.KindOnionDataResponse))
	payload = append(payload, body[1+key.Size:]...)
	out := OnionResponse{Kind: wire.KindOnionRecv3, Return: e.ret[:], Payload: payload}
	b, err := out.AppendBinary(nil)
	if err != nil {
		return err
	}
	s.o.stats.DataForwarded++
	s.o.send(e.retAddr, b)
	return nil
}
