package tox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"time"

	"parley/net/atomicfile"
	"parley/net/key"
	"parley/net/session"
	"parley/net/wire"
)

// Fast reconnect (issue 4): the node remembers, for each friend it had a
// session with, the friend's DHT key, the address the session used and a
// few DHT nodes close to that key, in Config.PeerCachePath. At the next
// start it sends a cookie request to that address at once and seeds the
// DHT friend entry with the nodes, so a friend still at the same address
// is back in about a round trip instead of after the onion search
// (tox-protocol.md §5.4: up to a minute or two). A stale entry costs one
// unanswered cookie request; the normal search runs as before.

// PeerCacheMaxAge: older entries are not used (a DHT key rarely survives
// that long: c-toxcore makes a new one at every start).
const PeerCacheMaxAge = 7 * 24 * time.Hour

// peerCacheNodes is how many DHT nodes near the friend are kept.
const peerCacheNodes = 4

type cachedNode struct {
	PK   string `json:"pk"`
	Addr string `json:"addr"`
}

type cachedPeer struct {
	PK    string       `json:"pk"`
	DHTPK string       `json:"dht_pk"`
	Addr  string       `json:"addr"`
	Seen  time.Time    `json:"seen"`
	Nodes []cachedNode `json:"nodes,omitempty"`
}

// peerCache is the loop's copy of the file.
type peerCache struct {
	entries map[key.PublicKey]cachedPeer
	dirty   bool
	used    int // entries tried at start
}

// loadPeerCache reads Config.PeerCachePath (missing: empty). A damaged
// file is ignored: it is only a cache.
func (n *Node) loadPeerCache() {
	n.pc.entries = map[key.PublicKey]cachedPeer{}
	if n.cfg.PeerCachePath == "" {
		return
	}
	b, err := os.ReadFile(n.cfg.PeerCachePath)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			n.cfg.Logf("tox: peer cache: %v", err)
		}
		return
	}
	var list []cachedPeer
	if err := json.Unmarshal(b, &list); err != nil {
		n.cfg.Logf("tox: peer cache %s ignored: %v", n.cfg.PeerCachePath, err)
		return
	}
	for _, e := range list {
		if pk, err := key.ParsePublicKey(e.PK); err == nil {
			n.pc.entries[pk] = e
		}
	}
}

// usePeerCache tries the cached address of every tracked friend: before
// the loop starts, right after the socket.
func (n *Node) usePeerCache(now time.Time) {
	if n.sessions == nil {
		return
	}
	for pk, e := range n.pc.entries {
		p := n.peers[pk]
		if p == nil || now.Sub(e.Seen) > PeerCacheMaxAge {
			continue
		}
		dhtPK, err1 := key.ParsePublicKey(e.DHTPK)
		addr, err2 := netip.ParseAddrPort(e.Addr)
		if err1 != nil || err2 != nil {
			continue
		}
		var nodes []wire.Node
		for _, c := range e.Nodes {
			npk, err1 := key.ParsePublicKey(c.PK)
			na, err2 := netip.ParseAddrPort(c.Addr)
			if err1 == nil && err2 == nil {
				nodes = append(nodes, wire.Node{PK: npk, Addr: na})
			}
		}
		n.pc.used++
		n.learnDHTKey(now, pk, dhtPK, nodes)
		n.friendAddr(now, p, addr)
	}
}

// notePeer records an established session's friend.
func (n *Node) notePeer(now time.Time, c *session.Conn) {
	if n.cfg.PeerCachePath == "" {
		return
	}
	addr, ok := c.Addr(now)
	if !ok || c.PeerDHT().IsZero() {
		return
	}
	e := cachedPeer{PK: c.Peer().String(), DHTPK: c.PeerDHT().String(), Addr: addr.String(), Seen: now}
	for _, nd := range n.dht.Closest(c.PeerDHT(), peerCacheNodes, true) {
		if !nd.TCP {
			e.Nodes = append(e.Nodes, cachedNode{PK: nd.PK.String(), Addr: nd.Addr.String()})
		}
	}
	n.pc.entries[c.Peer()] = e
	n.savePeerCache()
}

// savePeerCache writes the cache atomically; failures are logged only.
func (n *Node) savePeerCache() {
	if n.cfg.PeerCachePath == "" {
		return
	}
	list := make([]cachedPeer, 0, len(n.pc.entries))
	for pk, e := range n.pc.entries {
		if n.peers[pk] != nil {
			list = append(list, e)
		}
	}
	b, err := json.MarshalIndent(list, "", " ")
	if err == nil {
		err = atomicfile.WriteFile(n.cfg.PeerCachePath, b, 0o600)
	}
	if err != nil {
		n.cfg.Logf("tox: peer cache: %v", fmt.Errorf("saving: %w", err))
	}
}
