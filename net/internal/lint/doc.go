// Package lint holds no code: its tests check the whole repository against
// the rules that machines enforce (architecture.md §9.1 and §9.7):
//
//   - every .go file is gofmt-formatted (format_test.go);
//   - imports flow in the allowed direction (imports_test.go): net/** never
//     reaches fyne, audio/** or app/**; audio/** never reaches net/** or
//     fyne; app/ui never imports net/transport, net/session or net/dht
//     directly; only package main imports fyne.io/fyne/v2/app (so every other
//     package tests without cgo); net/** has no cgo; and no production
//     package imports "testing", except the test-support packages listed in
//     testSupportPackages;
//   - protocol packages never read the wall clock or start their own timers
//     (clock_test.go): time.Now, time.Sleep, time.AfterFunc and friends are
//     banned outside tests in net/dht, net/session, net/onion, net/friend,
//     net/transfer and net/av; time comes in as `now` or a clock.Clock.
//
// The checks parse the sources with go/parser, walking the module from its
// go.mod; they need no network, no cgo and no build of the packages, and
// they read files of every build tag (interop included).
package lint
