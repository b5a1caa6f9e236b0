package tcprelay

import (
	"context"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/clock"
	"parley/net/key"
)

// The lifecycle tests run in a synctest bubble: synctest.Test fails when a
// goroutine started inside it (the client's reader, writer and loop, the
// handshake watcher, the fake relay's) is still blocked when the test
// function returns, so passing proves every one of them exited. Time in
// the bubble is fake, so clock.Real is used.

func TestClientCloseEndsGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		c, rc := dialRelay(t, r, r.config(t, clock.Real{}))
		if err := c.SendOOB(context.Background(), key.PublicKey{1}, []byte("x")); err != nil {
			t.Fatal(err)
		}
		rc.next(t, true)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		<-c.Done()
		<-rc.done
		if _, ok := <-c.Events(); ok {
			t.Fatal("Events still open after Close")
		}
	})
}

// Close says goodbye: a disconnect notification for every id we hold,
// after what was already queued, then the socket closes.
func TestClientCloseIsGraceful(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		c, rc := dialRelay(t, r, r.config(t, clock.Real{}))
		ctx := context.Background()
		for _, id := range []ConnID{17, 200} {
			rc.write(t, &RoutingResponse{ConnID: id, PK: key.PublicKey{byte(id)}})
			nextEvent(t, c)
		}
		rc.write(t, &ConnectNotification{ConnID: 200})
		nextEvent(t, c)
		if err := c.Send(ctx, 200, []byte("last words")); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		<-rc.done
		var got []Packet
		for len(rc.pkts) > 0 {
			got = append(got, <-rc.pkts)
		}
		want := []Packet{
			&Data{ConnID: 200, Payload: []byte("last words")},
			&DisconnectNotification{ConnID: 17},
			&DisconnectNotification{ConnID: 200},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("relay got %#v, want %#v", got, want)
		}
		if !errors.Is(rc.err, io.EOF) {
			t.Fatalf("relay read ended with %v, want EOF", rc.err)
		}
	})
}

func TestClientContextEndsGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		ctx, cancel := context.WithCancel(context.Background())
		c, err := Dial(ctx, r.config(t, clock.Real{}))
		if err != nil {
			t.Fatal(err)
		}
		rc := r.accept(t)
		cancel()
		<-c.Done()
		<-rc.done
		if err := c.Err(); !errors.Is(err, ErrClosed) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Err() = %v, want ErrClosed and context.Canceled", err)
		}
	})
}

// With clock.Real in the bubble, the ping timer runs on fake time: a relay
// that answers pings keeps the client up (here for six minutes); one that
// stops is dropped PingTimeout after the next ping.
func TestClientPingScheduleOnBubbleTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		start := time.Now()
		c, rc := dialRelay(t, r, r.config(t, clock.Real{}))
		for range 12 {
			p := (<-rc.pkts).(*Ping) // a relay that ends fails the test as a deadlock
			rc.write(t, &Pong{ID: p.ID})
		}
		if got, want := time.Since(start), 12*PingInterval; got != want {
			t.Fatalf("12 pings after the first took %v, want %v", got, want)
		}
		if _, ok := (<-rc.pkts).(*Ping); !ok { // unanswered
			t.Fatal("want a ping")
		}
		pinged := time.Now()
		<-c.Done()
		if err := c.Err(); !errors.Is(err, ErrPingTimeout) {
			t.Fatalf("Err() = %v, want ErrPingTimeout", err)
		}
		if got := time.Since(pinged); got != PingTimeout {
			t.Fatalf("timed out after %v, want %v", got, PingTimeout)
		}
		<-rc.done
	})
}

// The send queue is bounded: when the relay stops reading, commands wait
// for room until their context ends, and Close still ends everything.
func TestClientSendQueueBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		r.manual = true
		cfg := r.config(t, clock.Real{})
		cfg.SendQueue = 2
		c, err := Dial(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r.accept(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		sent := 0
		for ; sent < 100; sent++ {
			if err := c.SendOOB(ctx, key.PublicKey{1}, []byte("x")); err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("SendOOB = %v, want DeadlineExceeded", err)
				}
				break
			}
		}
		// The writer is stuck on a batch (the ping, maybe more frames it
		// gathered), and SendQueue frames wait behind it.
		if sent < cfg.SendQueue || sent > cfg.SendQueue+maxBatch-1 {
			t.Fatalf("%d commands queued before blocking, want %d..%d", sent, cfg.SendQueue, cfg.SendQueue+maxBatch-1)
		}
		c.Close()
		mustErrIs(t, c.Err(), ErrClosed)
	})
}

// Events nobody reads pause reading from the relay but never block
// commands, so a user that sends before it reads does not deadlock.
func TestClientUnreadEventsDoNotBlockCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		cfg := r.config(t, clock.Real{})
		cfg.EventQueue = 2
		c, rc := dialRelay(t, r, cfg)
		const n = 40
		wrote := make(chan struct{})
		go func() {
			defer close(wrote)
			for i := range n {
				rc.write(t, &OOBRecv{From: key.PublicKey{9}, Data: []byte{byte(i)}})
			}
		}()
		synctest.Wait() // the relay's writer is stuck: the client stopped reading
		select {
		case <-wrote:
			t.Fatal("all frames were taken although no event was read")
		default:
		}
		for i := range 5 {
			if err := c.RoutingRequest(context.Background(), key.PublicKey{byte(i)}); err != nil {
				t.Fatal(err)
			}
			if _, ok := rc.next(t, true).(*RoutingRequest); !ok {
				t.Fatal("want a routing request")
			}
		}
		for i := range n {
			ev, ok := nextEvent(t, c).(OOBReceived)
			if !ok || ev.Data[0] != byte(i) {
				t.Fatalf("event %d: %+v", i, ev)
			}
		}
		<-wrote
		c.Close()
		<-rc.done
	})
}

// The writer paces: at most MaxBurst bytes per PaceInterval on the
// client's clock; the rest waits for the next interval.
func TestClientPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFakeRelay(t)
		clk := clock.NewFake(epoch)
		cfg := r.config(t, clk)
		const frame = FrameHeaderSize + MaxFrameSize // a data frame of MaxDataSize
		cfg.MaxBurst = 2*frame + 100                 // the ping (27 bytes) and two such frames
		c, rc := dialRelay(t, r, cfg)
		rc.write(t, &RoutingResponse{ConnID: 16, PK: key.PublicKey{1}})
		rc.write(t, &ConnectNotification{ConnID: 16})
		nextEvent(t, c)
		nextEvent(t, c)
		payload := make([]byte, MaxDataSize)
		for range 5 {
			if err := c.Send(context.Background(), 16, payload); err != nil {
				t.Fatal(err)
			}
		}
		for interval := range 3 {
			synctest.Wait() // everything that may go out in this interval has
			want := 2
			if interval == 2 {
				want = 1
			}
			if got := len(rc.pkts); got != want {
				t.Fatalf("interval %d: %d frames through, want %d", interval, got, want)
			}
			for len(rc.pkts) > 0 {
				<-rc.pkts
			}
			clk.Advance(PaceInterval)
		}
		if st := c.Stats(); st.FramesOut != 6 {
			t.Fatalf("stats %+v, want 6 frames out", st)
		}
	})
}
