package tox

import "fmt"

// describe formats an event for logs and test failures.
func describe(e Event) string {
	if fe, ok := e.(FriendEvent); ok {
		return fmt.Sprintf("%T %+v", fe.Event, fe.Event)
	}
	return fmt.Sprintf("%T %+v", e, e)
}
