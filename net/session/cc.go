package session

import (
	"math"
	"time"
)

// flow is one connection's RTT estimate, congestion window and resend
// budget. c-toxcore measures send rates over 50 ms windows (§6.4); Parley
// uses a plain window scheme with the same effect on the wire: the peer
// sees acks, requests and resends, never the scheme.
//
//   - RTT: from the newest packet each ack frees, skipping resent packets
//     (Karn) and packets sent before the peer came back from a silence of
//     more than maxSilence (their acks may have been lost in an outage, so
//     the time to the ack measures the outage, not the path): a smoothed
//     mean and deviation (RFC 6298 gains) and the minimum of the last
//     minRTTWindow (c-toxcore keeps only a minimum, rtt_time). DefaultRTT
//     until measured. Samples include the peer's ack delay (AckDelay for
//     Parley, up to 1 s for c-toxcore).
//   - Resends: a requested packet is resent only if it was last sent at
//     least resendAfter = srtt + rttvar ago ("not more than once per
//     RTT"; the deviation absorbs reordering, which otherwise shows up as
//     holes in requests and causes spurious resends), within
//     minResendAfter..maxResendAfter, and resends spend tokens that refill
//     at cwnd per smoothed RTT.
//   - cwnd bounds only SendWindow, the flow-controlled sends (file data,
//     as c-toxcore's congestion_control flag): it grows by one per acked
//     packet up to ssthresh, then by 1/cwnd, and halves (not below
//     minWindow) when a request shows a loss, once per loss episode: not
//     again until the peer acks everything sent before the loss
//     (NewReno's recovery).
//
// The handshake gives the first RTT samples (cookie request to response,
// handshake to handshake or first data packet, when not resent), so
// resends are paced by a real RTT from the start.
type flow struct {
	srtt, rttvar, minRTT time.Duration
	minAt                time.Time
	measured             bool

	cwnd, ssthresh float64
	recovering     bool
	recoverEnd     uint32 // send buffer_end when the loss episode began

	tokens     float64
	tokensAt   time.Time
	resendsDue int // marked slots not yet resent
}

func newFlow() flow {
	return flow{srtt: DefaultRTT, rttvar: DefaultRTT / 2, minRTT: DefaultRTT, cwnd: minWindow, ssthresh: RingSize, tokens: minWindow}
}

// minRTTWindow is how long a minimum RTT sample is trusted: a path that
// got slower must not keep judging losses by its old minimum.
const minRTTWindow = 10 * time.Second

// sample feeds one RTT measurement taken at now.
func (f *flow) sample(now time.Time, d time.Duration) {
	if d < 0 {
		return
	}
	if !f.measured {
		f.srtt, f.rttvar, f.minRTT, f.minAt, f.measured = d, d/2, d, now, true
		return
	}
	if d <= f.minRTT || now.Sub(f.minAt) > minRTTWindow {
		f.minRTT, f.minAt = d, now
	}
	dev := f.srtt - d
	if dev < 0 {
		dev = -dev
	}
	f.rttvar += (dev - f.rttvar) / 4
	f.srtt += (d - f.srtt) / 8
}

// resendAfter is how long a packet must have been out before a request
// may make us send it again.
func (f *flow) resendAfter() time.Duration {
	return min(max(f.srtt+f.rttvar, minResendAfter), maxResendAfter)
}

// acked grows the window for n newly acknowledged packets.
func (f *flow) acked(n int) {
	for ; n > 0; n-- {
		if f.cwnd < f.ssthresh {
			f.cwnd++
		} else {
			f.cwnd += 1 / f.cwnd
		}
	}
	f.cwnd = min(f.cwnd, RingSize)
}

// lost reacts to a loss among packets sent before end (our buffer_end).
func (f *flow) lost(end uint32) {
	if f.recovering {
		return
	}
	f.recovering, f.recoverEnd = true, end
	f.ssthresh = max(f.cwnd/2, minWindow)
	f.cwnd = f.ssthresh
}

// ackedTo ends a loss episode once the peer's buffer_start reaches its end.
func (f *flow) ackedTo(bs uint32) {
	if f.recovering && int32(bs-f.recoverEnd) >= 0 {
		f.recovering = false
	}
}

// take spends one resend token if there is one.
func (f *flow) take(now time.Time) bool {
	if !f.tokensAt.IsZero() {
		rate := f.cwnd / f.srtt.Seconds()
		f.tokens = min(f.tokens+rate*now.Sub(f.tokensAt).Seconds(), max(f.cwnd, minWindow))
	}
	f.tokensAt = now
	if f.tokens < 1 {
		return false
	}
	f.tokens--
	return true
}

// tokenAt is when the next resend token will be available.
func (f *flow) tokenAt() time.Time {
	if f.tokens >= 1 || f.tokensAt.IsZero() {
		return f.tokensAt
	}
	rate := f.cwnd / f.srtt.Seconds()
	// Rounded up, plus a microsecond, so that take succeeds at that time.
	wait := time.Duration(math.Ceil((1-f.tokens)/rate*float64(time.Second))) + time.Microsecond
	return f.tokensAt.Add(wait)
}
