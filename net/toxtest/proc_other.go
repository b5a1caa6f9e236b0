//go:build !linux

package toxtest

import "syscall"

// procAttr has no parent-death signal outside Linux; toxpeer still exits on
// EOF of its stdin.
func procAttr() *syscall.SysProcAttr { return nil }
