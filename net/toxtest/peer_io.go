package toxtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxLineSize bounds one output line (toxpeer hex-encodes data, so a line
// is a little over twice its largest payload).
const maxLineSize = 64 << 20

// reply is an ok/err line for a waiting Do, or the reason none will come.
type reply struct {
	fields []string // "ok"|"err", cmd, values...
	err    error
}

// readStdout files every line: replies to the oldest waiting Do, the rest
// as events. It returns at EOF, that is when the process has exited.
func (p *Peer) readStdout(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLineSize)
	for sc.Scan() {
		p.handleLine(sc.Text())
	}
	if err := sc.Err(); err != nil {
		p.log.add("toxtest: reading stdout: " + err.Error())
		io.Copy(io.Discard, r) // keep the peer from blocking on a full pipe
	}
}

func (p *Peer) readStderr(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLineSize)
	for sc.Scan() {
		p.log.add("stderr: " + sc.Text())
	}
	io.Copy(io.Discard, r)
}

func (p *Peer) handleLine(line string) {
	p.log.add(line)
	at, word, args, ok := parseLine(line)
	if !ok {
		return // not protocol: kept in the transcript only
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch word {
	case "ok", "err":
		if len(p.waiters) == 0 {
			return // a reply nobody waits for (its Do was never sent); see transcript
		}
		ch := p.waiters[0]
		p.waiters = p.waiters[1:]
		ch <- reply{fields: append([]string{word}, args...)}
	default:
		p.events = append(p.events, Event{Name: word, Args: args, At: at, Line: line, Seq: len(p.events)})
		p.taken = append(p.taken, false)
		p.notifyLocked()
	}
}

// notifyLocked wakes every Wait. p.mu must be held.
func (p *Peer) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// waitExit reaps the process once its output is read, then fails every
// pending Do and wakes every Wait.
func (p *Peer) waitExit(readers interface{ Wait() }) {
	readers.Wait()
	err := p.cmd.Wait()
	p.mu.Lock()
	p.exited = true
	p.exitErr = err
	for _, ch := range p.waiters {
		ch <- reply{err: fmt.Errorf("toxtest: %s: %w (%v)", p.Name, ErrExited, err)}
	}
	p.waiters = nil
	p.notifyLocked()
	p.mu.Unlock()
	close(p.done)
}

// commandLine joins a command and its arguments, refusing words the line
// protocol cannot carry.
func commandLine(cmd string, args []string) (string, error) {
	words := append([]string{cmd}, args...)
	for _, w := range words {
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return "", fmt.Errorf("%w: %q", ErrBadWord, w)
		}
	}
	return strings.Join(words, " "), nil
}

// Do sends a command and waits (up to 10 s) for its reply. It returns the
// values after "ok <cmd>", or a *CommandError for "err <cmd> ...". Text
// arguments must be hex: use Hex.
func (p *Peer) Do(cmd string, args ...string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	return p.DoContext(ctx, cmd, args...)
}

// DoContext is Do bounded by ctx instead.
func (p *Peer) DoContext(ctx context.Context, cmd string, args ...string) ([]string, error) {
	line, err := commandLine(cmd, args)
	if err != nil {
		return nil, err
	}
	ch := make(chan reply, 1) // the reader never blocks on an abandoned Do
	p.wmu.Lock()
	p.mu.Lock()
	if p.exited {
		p.mu.Unlock()
		p.wmu.Unlock()
		return nil, fmt.Errorf("toxtest: %s: %s: %w", p.Name, cmd, ErrExited)
	}
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	p.log.add("> " + line)
	_, err = io.WriteString(p.stdin, line+"\n")
	p.wmu.Unlock()
	if err != nil {
		// The waiter stays queued; waitExit completes it when the process is gone.
		return nil, fmt.Errorf("toxtest: %s: sending %s: %w", p.Name, cmd, err)
	}
	select {
	case r := <-ch:
		return p.result(cmd, r)
	case <-ctx.Done():
		return nil, fmt.Errorf("toxtest: %s: no reply to %s: %w", p.Name, cmd, ctx.Err())
	}
}

func (p *Peer) result(cmd string, r reply) ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	if len(r.fields) < 2 || r.fields[1] != cmd {
		return nil, fmt.Errorf("toxtest: %s: reply %q does not answer %s: replies out of step", p.Name, r.fields, cmd)
	}
	if r.fields[0] == "ok" {
		return r.fields[2:], nil
	}
	e := &CommandError{Peer: p.Name, Cmd: cmd}
	if len(r.fields) > 2 {
		e.Reason, e.Detail = r.fields[2], r.fields[3:]
	}
	return nil, e
}

// Wait returns the oldest event not yet taken by a Wait for which match
// is true, waiting up to timeout for it to arrive. Events that arrived
// before the call count, so there is no race between causing an event and
// waiting for it. match runs with the peer locked: it must not call the
// Peer.
func (p *Peer) Wait(timeout time.Duration, match func(Event) bool) (Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return p.WaitContext(ctx, match)
}

// WaitContext is Wait bounded by ctx instead.
func (p *Peer) WaitContext(ctx context.Context, match func(Event) bool) (Event, error) {
	for {
		p.mu.Lock()
		if e, ok := p.takeLocked(match); ok {
			p.mu.Unlock()
			return e, nil
		}
		if p.exited {
			err := p.exitErr
			p.mu.Unlock()
			return Event{}, fmt.Errorf("toxtest: %s: %w before the awaited event (%v)", p.Name, ErrExited, err)
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return Event{}, fmt.Errorf("toxtest: %s: awaited event did not come: %w", p.Name, ctx.Err())
		}
	}
}

func (p *Peer) takeLocked(match func(Event) bool) (Event, bool) {
	for i := p.first; i < len(p.events); i++ {
		if !p.taken[i] && match(p.events[i]) {
			p.taken[i] = true
			for p.first < len(p.events) && p.taken[p.first] {
				p.first++
			}
			return p.events[i], true
		}
	}
	return Event{}, false
}

// find returns the first event called name, taken or not, without taking it.
func (p *Peer) find(name string) (Event, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.events {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// Mark returns the number of events so far: the Seq the next one will have.
// Use it with Since.
func (p *Peer) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.events)
}

// Events returns every event so far, taken or not, oldest first.
func (p *Peer) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}
