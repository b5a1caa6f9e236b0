//go:build interop

package cli

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"parley/net/tox"
	"parley/net/toxtest"
	"parley/net/wire"
)

// A c-toxcore peer that bootstraps only from a `parley node` becomes
// friend-connected to a c-toxcore peer that bootstrapped only from
// tox-bootstrapd: all it knew of the network came through Parley.
func TestInteropCToxcoreBootstrapsFromParleyNode(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	port := toxtest.FreePort(t)
	node := startNodeProcess(t, "--port", fmt.Sprint(port), "--lan=false", "--log-every", "1s",
		"--bootstrap", fmt.Sprintf("127.0.0.1:%d:%s", bs.Addr.Port(), bs.PK))
	if node.Port != port {
		t.Fatalf("parley node on port %d, asked for %d", node.Port, port)
	}
	x := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "x", Bootstrap: []wire.Node{bs.Node()}})
	y := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "y", Bootstrap: []wire.Node{node.Node()}})
	start := time.Now()
	fx := x.FriendAdd(y.Address, "hi from x")
	req, err := y.Wait(90*time.Second, toxtest.Is("friend_request"))
	if err != nil {
		t.Fatalf("y never got x's friend request: %v", err)
	}
	if got, err := req.Text(1); err != nil || got != "hi from x" {
		t.Fatalf("request text %q, %v", got, err)
	}
	fy := y.FriendAddNoRequest(x.PublicKey)
	for _, p := range []struct {
		peer *toxtest.Peer
		n    uint32
	}{{x, fx}, {y, fy}} {
		if _, err := p.peer.Wait(60*time.Second, func(e toxtest.Event) bool {
			n, err := e.Uint(0)
			return e.Name == "friend_connection" && err == nil && n == p.n && e.Arg(1) != "none"
		}); err != nil {
			t.Fatalf("%s never friend-connected: %v", p.peer.Name, err)
		}
	}
	t.Logf("friend-connected after %v", time.Since(start))
	joined := strings.Join(node.Log(), "\n")
	if !strings.Contains(joined, "peers: ") {
		t.Fatalf("parley node logged no peer count:\n%s", joined)
	}
	node.Stop(t, syscall.SIGTERM)
}

// `parley node` prints its key and port, persists its key with --keys, and
// exits cleanly on SIGINT.
func TestNodeCommandKeysAndSignals(t *testing.T) {
	t.Parallel()
	keys := t.TempDir() + "/keys"
	a := startNodeProcess(t, "--port", "0", "--lan=false", "--keys", keys, "--motd", "hello from Parley")
	if a.Port < 33445 || a.Port > 33545 {
		t.Fatalf("--port 0 chose %d, outside 33445-33545", a.Port)
	}
	// It answers BOOTSTRAP_INFO as tox-bootstrapd does.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := toxtest.QueryBootstrapInfo(ctx, a.Node().Addr)
	if err != nil {
		t.Fatal(err)
	}
	if info.MOTD != "hello from Parley" || info.Version != tox.Version {
		t.Fatalf("bootstrap info %+v", info)
	}
	a.Stop(t, syscall.SIGINT)
	b := startNodeProcess(t, "--port", "0", "--lan=false", "--keys", keys)
	if a.PK != b.PK {
		t.Fatalf("--keys did not keep the key: %s then %s", a.PK, b.PK)
	}
	b.Stop(t, syscall.SIGINT)
	if !strings.Contains(strings.Join(b.Log(), "\n"), "no bootstrap node reachable") {
		t.Fatalf("a node with no bootstrap node did not say so:\n%s", strings.Join(b.Log(), "\n"))
	}
}
