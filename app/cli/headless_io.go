package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// maxCommandLine bounds one stdin line. A longer line is discarded up to
// its newline and answered with an error; reading goes on.
const maxCommandLine = 1 << 20

// inputLine is one line from stdin, without its newline.
type inputLine struct {
	data    []byte
	tooLong int // > 0: the line was this many bytes and was dropped
}

// lineReader reads stdin on its own goroutine, so the main loop can wait
// for commands, events and signals at once. The goroutine exits at EOF or a
// read error (then lines is closed and err is set), or when stop is closed
// while it waits to hand over a line. A Read that blocks forever keeps it,
// as with any reader of a terminal: runHeadless does not wait for it.
type lineReader struct {
	lines chan inputLine
	done  chan struct{}
	err   error // the read error other than EOF; read it after done
}

func startLineReader(r io.Reader, stop <-chan struct{}) *lineReader {
	lr := &lineReader{lines: make(chan inputLine), done: make(chan struct{})}
	go lr.run(r, stop)
	return lr
}

func (lr *lineReader) run(r io.Reader, stop <-chan struct{}) {
	defer close(lr.done)
	defer close(lr.lines)
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		l, err := readLine(br)
		if len(l.data) > 0 || l.tooLong > 0 || (err == nil) {
			select {
			case lr.lines <- l:
			case <-stop:
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				lr.err = err
			}
			return
		}
	}
}

// readLine reads up to and without the next newline (and a '\r' before
// it). A line over maxCommandLine is consumed and reported by length only.
func readLine(br *bufio.Reader) (inputLine, error) {
	var buf []byte
	n := 0
	for {
		frag, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			n += len(frag)
			if n <= maxCommandLine {
				buf = append(buf, frag...)
			}
			continue
		}
		frag = bytes.TrimSuffix(frag, []byte{'\n'})
		n += len(frag)
		if n > maxCommandLine {
			return inputLine{tooLong: n}, err
		}
		buf = bytes.TrimSuffix(append(buf, frag...), []byte{'\r'})
		return inputLine{data: buf}, err
	}
}

// jsonWriter writes whole lines to stdout, one Write per line, under a
// mutex, so replies and events never interleave. The first write error is
// kept: a closed stdout ends the run.
type jsonWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

// write encodes o and writes it as one line.
func (jw *jsonWriter) write(o object) error {
	b, err := encodeLine(o)
	if err != nil {
		// Unreachable with the values this package puts in objects; say so
		// on the protocol rather than dropping the line silently.
		b = []byte(encodingFailed)
	}
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if jw.err != nil {
		return jw.err
	}
	if _, err := jw.w.Write(b); err != nil {
		jw.err = fmt.Errorf("writing to stdout: %w", err)
		return jw.err
	}
	if f, ok := jw.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			jw.err = fmt.Errorf("writing to stdout: %w", err)
		}
	}
	return jw.err
}

const encodingFailed = `{"event":"error","error":"internal: a line could not be encoded"}` + "\n"

// failed returns the first write error.
func (jw *jsonWriter) failed() error {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	return jw.err
}
