package ui

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkLaunchRealWindow starts the real parley binary (OpenGL window,
// GLFW, Mesa) under Xvfb and measures the wall time from exec to the
// window being up with its event loop taking jobs (the binary prints
// "parley: window ready" from a job posted to the loop once the app has
// started, with PARLEY_LAUNCH_PROBE set). Each run has a fresh HOME: the
// first-run screen, what a new user sees; the profile list screen that a
// returning user sees costs the same (it reads one directory).
//
// Needs Xvfb (make deps installs xvfb). $PARLEY_BIN is used when set,
// otherwise the binary is built once.
//
//	make bench BENCH=LaunchRealWindow PKGS=./app/ui/ BENCHTIME=5x
func BenchmarkLaunchRealWindow(b *testing.B) {
	bin := os.Getenv("PARLEY_BIN")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "parley")
		cmd := exec.Command("go", "build", "-tags", "nolibopusfile", "-o", bin, "parley")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("building parley: %v", err)
		}
	}
	display := startXvfb(b)
	var took []time.Duration
	for b.Loop() {
		took = append(took, launchOnce(b, bin, display))
	}
	slices.Sort(took)
	var sum time.Duration
	for _, d := range took {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(sum/time.Duration(len(took))), "ms/launch")
	b.ReportMetric(ms(took[0]), "ms-min")
	b.ReportMetric(ms(took[len(took)-1]), "ms-max")
}

// launchOnce runs the binary once on display with a fresh HOME and returns
// the time from exec to its ready line.
func launchOnce(b *testing.B, bin, display string) time.Duration {
	b.Helper()
	home := b.TempDir()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"PARLEY_LAUNCH_PROBE=1", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=", "FYNE_SCALE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	ready := make(chan time.Duration, 1)
	var lines []string
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if sc.Text() == "parley: window ready" {
				ready <- time.Since(start)
			}
			lines = append(lines, sc.Text())
		}
		close(ready)
	}()
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	var d time.Duration
	var ok bool
	select {
	case d, ok = <-ready:
	case <-timeout.C:
	}
	cmd.Process.Kill()
	werr := cmd.Wait() // also waits for the reader to see EOF
	if !ok {
		b.Fatalf("no ready line from parley (exit: %v):\n%s", werr, strings.Join(lines, "\n"))
	}
	return d
}

// startXvfb starts an X server for the benchmark and returns its display.
func startXvfb(b *testing.B) string {
	b.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x700x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		b.Fatalf("Xvfb (make deps installs xvfb): %v", err)
	}
	w.Close()
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		r.Close()
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			b.Fatal("Xvfb printed no display number")
		}
		return fmt.Sprintf(":%s", n)
	case <-time.After(30 * time.Second):
		b.Fatal("Xvfb did not start in 30 s")
	}
	return ""
}
