package transport

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"parley/net/wire"
)

type got struct {
	src netip.AddrPort
	pkt []byte
}

// collect returns a handler that copies every packet into a channel.
func collect(ch chan got) Handler {
	return func(src netip.AddrPort, pkt []byte) {
		select {
		case ch <- got{src, append([]byte(nil), pkt...)}:
		default:
		}
	}
}

func recv(t *testing.T, ch chan got) got {
	t.Helper()
	select {
	case g := <-ch:
		return g
	case <-time.After(5 * time.Second):
		t.Fatal("no packet reached the handler")
		return got{}
	}
}

func TestDispatchByKind(t *testing.T) {
	defer goroutineLeakCheck(t)()
	tr := New(listenLoopback(t))
	pings, data := make(chan got, 8), make(chan got, 8)
	if err := tr.Handle(wire.KindPingRequest, collect(pings)); err != nil {
		t.Fatal(err)
	}
	if err := tr.Handle(wire.KindCryptoData, collect(data)); err != nil {
		t.Fatal(err)
	}
	tr.Start()
	defer tr.Close()

	client := udpClient(t, "127.0.0.1:0")
	for _, p := range [][]byte{{0x00, 1, 2, 3}, {0x1b, 9}, {0x00, 4}} {
		if _, err := client.WriteToUDPAddrPort(p, tr.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	want := clientAddr(client)
	for _, w := range []struct {
		ch  chan got
		pkt []byte
	}{{pings, []byte{0x00, 1, 2, 3}}, {pings, []byte{0x00, 4}}, {data, []byte{0x1b, 9}}} {
		g := recv(t, w.ch)
		if g.src != want || !bytes.Equal(g.pkt, w.pkt) {
			t.Errorf("got %v %x, want %v %x", g.src, g.pkt, want, w.pkt)
		}
	}
	if len(pings)+len(data) != 0 {
		t.Errorf("extra packets dispatched: %d pings, %d data", len(pings), len(data))
	}
	s := tr.Stats()
	if s.Received != 3 || s.Dispatched != 3 || s.Kind(wire.KindPingRequest) != 2 || s.Kind(wire.KindCryptoData) != 1 {
		t.Errorf("stats: received %d dispatched %d ping %d data %d", s.Received, s.Dispatched,
			s.Kind(wire.KindPingRequest), s.Kind(wire.KindCryptoData))
	}
	if s.TotalDrops() != 0 {
		t.Errorf("drops: %v", s.Drops)
	}
}

func TestDropsCountedByReason(t *testing.T) {
	tr := New(listenLoopback(t))
	pings := make(chan got, 8)
	if err := tr.Handle(wire.KindPingRequest, collect(pings)); err != nil {
		t.Fatal(err)
	}
	tr.Start()
	defer tr.Close()

	client := udpClient(t, "127.0.0.1:0")
	maxPkt := make([]byte, wire.MaxUDPPacketSize) // kind 0x00, exactly the limit: delivered
	packets := [][]byte{
		{},                                    // empty
		make([]byte, wire.MaxUDPPacketSize+1), // one byte too long
		make([]byte, 3000),                    // much too long (kernel truncates to our buffer)
		{0x99, 1, 2},                          // no handler
		{0xf0, 0},                             // a real Tox kind Parley leaves unhandled here
		maxPkt,
	}
	for _, p := range packets {
		if _, err := client.WriteToUDPAddrPort(p, tr.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "all datagrams read", func() bool { return tr.Stats().Received == uint64(len(packets)) })
	if g := recv(t, pings); len(g.pkt) != wire.MaxUDPPacketSize {
		t.Errorf("max-size packet arrived with %d bytes", len(g.pkt))
	}
	s := tr.Stats()
	for r, want := range map[DropReason]uint64{
		DropEmpty: 1, DropOversize: 2, DropUnknownKind: 2, DropHandlerFull: 0,
	} {
		if s.Dropped(r) != want {
			t.Errorf("%v drops = %d, want %d", r, s.Dropped(r), want)
		}
	}
	if s.Dispatched != 1 || s.Kind(0x99) != 1 || s.Kind(wire.KindBootstrapInfo) != 1 {
		t.Errorf("dispatched %d, kind 0x99 %d, kind 0xf0 %d", s.Dispatched, s.Kind(0x99), s.Kind(wire.KindBootstrapInfo))
	}
}

func TestHandleErrors(t *testing.T) {
	tr := New(newFakeConn())
	h := func(netip.AddrPort, []byte) {}
	if err := tr.Handle(wire.KindCrypto, nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("nil handler: %v", err)
	}
	if err := tr.Handle(wire.KindCrypto, h); err != nil {
		t.Fatal(err)
	}
	if err := tr.Handle(wire.KindCrypto, h); !errors.Is(err, ErrHandlerTaken) {
		t.Errorf("duplicate: %v", err)
	}
	tr.Start()
	if err := tr.Handle(wire.KindLANDiscovery, h); !errors.Is(err, ErrStarted) {
		t.Errorf("after Start: %v", err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSend(t *testing.T) {
	tr := New(listenLoopback(t))
	tr.Start()
	client := udpClient(t, "127.0.0.1:0")
	if err := tr.Send(clientAddr(client), []byte{0x01, 7, 7}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if err := client.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	n, src, err := client.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	if src != tr.LocalAddr() || !bytes.Equal(buf[:n], []byte{0x01, 7, 7}) {
		t.Errorf("client got %x from %v", buf[:n], src)
	}

	for _, c := range []struct {
		dst  netip.AddrPort
		pkt  []byte
		want error
	}{
		{clientAddr(client), nil, ErrPacketSize},
		{clientAddr(client), make([]byte, wire.MaxUDPPacketSize+1), ErrPacketSize},
		{netip.AddrPort{}, []byte{1}, ErrBadAddr},
		{netip.MustParseAddrPort("127.0.0.1:0"), []byte{1}, ErrBadAddr},
	} {
		if err := tr.Send(c.dst, c.pkt); !errors.Is(err, c.want) {
			t.Errorf("Send(%v, %d bytes) = %v, want %v", c.dst, len(c.pkt), err, c.want)
		}
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tr.Send(clientAddr(client), []byte{1}); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Send after Close = %v, want net.ErrClosed", err)
	}
	s := tr.Stats()
	if s.Sent != 1 || s.SentBytes != 3 || s.SendErrors != 5 {
		t.Errorf("sent %d bytes %d errors %d, want 1 3 5", s.Sent, s.SentBytes, s.SendErrors)
	}
}

func TestCloseStopsReadLoop(t *testing.T) {
	defer goroutineLeakCheck(t)()
	tr := New(listenLoopback(t))
	tr.Start()
	tr.Start() // no second goroutine
	if err := tr.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case <-tr.Done():
	default:
		t.Fatal("Done not closed after Close returned")
	}
	if err := tr.Err(); err != nil {
		t.Errorf("Err after clean Close = %v", err)
	}
	if err := tr.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestCloseBeforeStart(t *testing.T) {
	defer goroutineLeakCheck(t)()
	tr := New(newFakeConn())
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	tr.Start() // must not start a reader on a closed socket
	<-tr.Done()
}

// A handler whose consumer is stuck must not stall the reader: the bounded
// hand-off drops and counts, and other kinds keep flowing.
func TestSlowConsumerDropsNotStalls(t *testing.T) {
	defer goroutineLeakCheck(t)()
	conn := newFakeConn()
	tr := New(conn)
	q := NewQueue[[]byte](4, tr) // nobody reads q: the stuck consumer
	if err := tr.Handle(wire.KindCryptoData, func(_ netip.AddrPort, pkt []byte) {
		q.TryPush(append([]byte(nil), pkt...))
	}); err != nil {
		t.Fatal(err)
	}
	pings := make(chan got, 1)
	if err := tr.Handle(wire.KindPingRequest, collect(pings)); err != nil {
		t.Fatal(err)
	}
	tr.Start()
	defer tr.Close()

	src := netip.MustParseAddrPort("192.0.2.7:33445")
	const n = 50
	for i := range n {
		conn.in <- fakePacket{src: src, data: []byte{0x1b, byte(i)}}
	}
	conn.in <- fakePacket{src: src, data: []byte{0x00, 0xaa}}
	if g := recv(t, pings); g.pkt[1] != 0xaa {
		t.Fatalf("ping payload %x", g.pkt)
	}
	s := tr.Stats()
	if s.Kind(wire.KindCryptoData) != n || q.Len() != 4 || q.Drops() != n-4 || s.Dropped(DropHandlerFull) != n-4 {
		t.Errorf("kind %d queued %d queue drops %d stats drops %d; want %d 4 %d %d",
			s.Kind(wire.KindCryptoData), q.Len(), q.Drops(), s.Dropped(DropHandlerFull), n, n-4, n-4)
	}
	if first := <-q.C(); first[1] != 0 {
		t.Errorf("queue head %x, want the first packet", first)
	}
}

func TestMappedSourceUnmapped(t *testing.T) {
	conn := newFakeConn()
	tr := New(conn)
	ch := make(chan got, 1)
	if err := tr.Handle(wire.KindLANDiscovery, collect(ch)); err != nil {
		t.Fatal(err)
	}
	tr.Start()
	defer tr.Close()
	conn.in <- fakePacket{src: netip.MustParseAddrPort("[::ffff:10.1.2.3]:33445"), data: []byte{0x21}}
	if g := recv(t, ch); g.src != netip.MustParseAddrPort("10.1.2.3:33445") {
		t.Errorf("src %v, want 10.1.2.3:33445", g.src)
	}
}

func TestReadErrorsRetriedThenGiveUp(t *testing.T) {
	defer goroutineLeakCheck(t)()
	conn := newFakeConn()
	tr := New(conn)
	tr.retryDelay = 0
	ch := make(chan got, 4)
	if err := tr.Handle(wire.KindPingResponse, collect(ch)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("transient")
	src := netip.MustParseAddrPort("192.0.2.9:1")
	// A run shorter than the limit is survived, and a good read resets it.
	for range maxReadFailures - 1 {
		conn.in <- fakePacket{err: boom}
	}
	conn.in <- fakePacket{src: src, data: []byte{0x01}}
	for range maxReadFailures - 1 {
		conn.in <- fakePacket{err: boom}
	}
	conn.in <- fakePacket{src: src, data: []byte{0x01}}
	tr.Start()
	recv(t, ch)
	recv(t, ch)
	if err := tr.Err(); err != nil {
		t.Fatalf("gave up early: %v", err)
	}
	// A full run ends the loop.
	for range maxReadFailures {
		conn.in <- fakePacket{err: boom}
	}
	<-tr.Done()
	if err := tr.Err(); !errors.Is(err, ErrReadFailed) || !errors.Is(err, boom) {
		t.Errorf("Err = %v, want ErrReadFailed wrapping the last error", err)
	}
	if got, want := tr.Stats().ReadErrors, uint64(3*maxReadFailures-2); got != want {
		t.Errorf("ReadErrors = %d, want %d", got, want)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCloseInterruptsRetryPause(t *testing.T) {
	defer goroutineLeakCheck(t)()
	conn := newFakeConn()
	tr := New(conn)
	tr.retryDelay = time.Hour
	conn.in <- fakePacket{err: errors.New("transient")}
	tr.Start()
	waitFor(t, "the read error", func() bool { return tr.Stats().ReadErrors == 1 })
	if err := tr.Close(); err != nil { // returns only once the loop has exited
		t.Fatal(err)
	}
}

func TestCountDrop(t *testing.T) {
	tr := New(newFakeConn())
	tr.CountDrop(DropMalformed)
	tr.CountDrop(DropDecrypt)
	tr.CountDrop(DropDecrypt)
	tr.CountDrop(DropReason(-1))
	tr.CountDrop(numDropReasons)
	s := tr.Stats()
	if s.Dropped(DropMalformed) != 1 || s.Dropped(DropDecrypt) != 2 || s.TotalDrops() != 3 {
		t.Errorf("drops %v", s.Drops)
	}
	if DropHandlerFull.String() != "handler-full" || DropReason(99).String() != "drop-reason-99" {
		t.Errorf("names: %v %v", DropHandlerFull, DropReason(99))
	}
}
