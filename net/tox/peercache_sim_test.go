package tox

import (
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/key"
)

// A restarted node with a peer cache is online with a friend that stayed
// put within a few round trips; the cache file names the friend.
func TestSimPeerCacheReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 9, simLink)
		s.startRelay("boot")
		a, b := newObPeer(t, s, "alice"), newObPeer(t, s, "bob")
		a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
		cache := filepath.Join(t.TempDir(), "alice.peers")
		startA := func() {
			a.conn = s.listen()
			a.n, a.ev = s.startSimClient(a.name, a.conn, func(c *Config) {
				c.Self, c.Friends, c.OutboxPath, c.PeerCachePath = a.keys, a.friends, a.outbox, cache
			})
		}
		startA()
		b.start(s)
		waitOnlineEvent(t, a.ev, b.keys.Public, simTimeout)
		if data, err := os.ReadFile(cache); err != nil || len(data) == 0 {
			t.Fatalf("peer cache: %v", err)
		}
		a.stop(t)
		start := time.Now()
		startA()
		waitOnlineEvent(t, a.ev, b.keys.Public, simTimeout)
		took := time.Since(start)
		t.Logf("online again %v (virtual) after the restart", took)
		if took > 2*time.Second {
			t.Fatalf("reconnect took %v with the peer cache", took)
		}
	})
}
