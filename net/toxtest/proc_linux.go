package toxtest

import "syscall"

// procAttr makes a child die with the test process, so a crashed or
// timed-out test leaves no toxpeer or tox-bootstrapd behind.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
