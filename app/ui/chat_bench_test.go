package ui

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"parley/net/tox"
)

// The benchmarks of issue 5's acceptance ("Benchmarks (printed)"). They
// report, never assert. Run them with the headless driver:
//
//	CGO_ENABLED=0 go test -run '^$' -bench . -benchtime 3x ./app/ui/

// heapMB is the heap in use after a full collection, in MB.
func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// BenchmarkOpenChat100k opens the chat of a friend with 100,000 messages
// of history and reports the heap in use then ("heap-MB"), the heap before
// the chat opened ("base-heap-MB"), the time to open it ("open-ms") and the
// bubbles rendered.
func BenchmarkOpenChat100k(b *testing.B) {
	dir := b.TempDir()
	friend := randomPK(b)
	fillHistory(b, dir, friend, 100_000)
	var heap, base, open, bubbles float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := openWindow(b, test.NewTempApp(b), dir, friend, nil)
		base += heapMB()
		t0 := time.Now()
		h.openChat()
		open += float64(time.Since(t0).Microseconds()) / 1000
		heap += heapMB()
		bubbles += float64(len(h.chat().msgs.Objects))
		h.w.Close()
	}
	n := float64(b.N)
	b.ReportMetric(heap/n, "heap-MB")
	b.ReportMetric(base/n, "base-heap-MB")
	b.ReportMetric(open/n, "open-ms")
	b.ReportMetric(bubbles/n, "bubbles")
}

// BenchmarkBurst1000 delivers 1,000 incoming messages through the fake
// core while the chat is open and times every UI job (the work done inside
// fyne.Do: the view model's update and the chat's refresh and layout):
// the mean ("frame-us") and the longest ("max-frame-us").
func BenchmarkBurst1000(b *testing.B) {
	dir := b.TempDir()
	friend := randomPK(b)
	fillHistory(b, dir, friend, 1000)
	var sum, worst time.Duration
	var frames int
	timing := false
	do := func(f func()) {
		if !timing {
			f()
			return
		}
		t0 := time.Now()
		f()
		d := time.Since(t0)
		sum += d
		worst = max(worst, d)
		frames++
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		h := openWindow(b, test.NewTempApp(b), dir, friend, do)
		h.openChat()
		b.StartTimer()
		timing = true
		for k := range 1000 {
			h.core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: friend, Text: "burst message " + strconv.Itoa(k)}})
		}
		h.until("the burst is shown", func() bool {
			_, m, _ := h.w.vm.Chat()
			return len(m) > 0 && m[len(m)-1].Text == "burst message 999"
		})
		timing = false
		b.StopTimer()
		h.w.Close()
		b.StartTimer()
	}
	if frames > 0 {
		b.ReportMetric(float64(sum.Microseconds())/float64(frames), "frame-us")
	}
	b.ReportMetric(float64(worst.Microseconds()), "max-frame-us")
	b.ReportMetric(float64(frames)/float64(b.N), "frames")
}

// BenchmarkLaunch times the launch with an existing profile and the fake
// core: from creating the window to the main view shown with the friend
// list loaded ("launch-ms"), opening the profile as the user does.
func BenchmarkLaunch(b *testing.B) {
	dir := b.TempDir()
	friend := randomPK(b)
	fillHistory(b, dir, friend, 1000)
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := test.NewTempApp(b)
		b.StartTimer()
		t0 := time.Now()
		h := openWindow(b, a, dir, friend, nil)
		total += time.Since(t0)
		b.StopTimer()
		h.w.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "launch-ms")
}
