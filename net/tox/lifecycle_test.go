package tox

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"parley/net/transport"
)

// Close ends every goroutine a node started: the socket reader, the node
// loop and the event pumps of its subscriptions (even unread ones).
func TestCloseEndsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	relay := startLoopbackNode(t)
	n, err := Start(Config{Listen: transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}, Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := n.Subscribe() // never read, never cancelled
	_, cancel := n.Subscribe()
	cancel()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := relay.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-ch; ok {
		t.Fatal("subscription channel still open after Close")
	}
	if err := n.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after Close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling the goroutine count with a deadline
	}
}
