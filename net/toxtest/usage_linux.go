package toxtest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Usage is a process's CPU time and resident memory, read from /proc.
type Usage struct {
	CPU   time.Duration // user + system time so far
	RSSKB int64         // resident set size, KiB
}

// ProcUsage reads pid's usage from /proc/<pid>/stat and /proc/<pid>/status.
func ProcUsage(pid int) (Usage, error) {
	var u Usage
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// Fields after the command name (which may hold spaces) start after ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return u, fmt.Errorf("toxtest: unreadable /proc/%d/stat", pid)
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return u, fmt.Errorf("toxtest: short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14: utime
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15: stime
	if err1 != nil || err2 != nil {
		return u, fmt.Errorf("toxtest: bad times in /proc/%d/stat", pid)
	}
	const clkTck = 100 // USER_HZ on Linux
	u.CPU = time.Duration(utime+stime) * time.Second / clkTck
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			fs := strings.Fields(v)
			if len(fs) > 0 {
				u.RSSKB, _ = strconv.ParseInt(fs[0], 10, 64)
			}
		}
	}
	return u, nil
}
