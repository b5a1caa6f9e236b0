package viewmodel

import (
	"cmp"
	"errors"
	"slices"
	"sync"

	"parley/app/store"
	"parley/net/key"
)

// Searching the open chat's history, and jumping to a hit.
//
// A chat's loaded messages are a run of consecutive messages: normally
// the newest ones, paged back with LoadOlder. JumpTo may replace them by
// the page around an older message; then they stop short of the newest
// (HasNewer), LoadNewer pages forward, a received message waits in the
// store until LoadNewer reaches it, and a message we send takes the chat
// back to the newest page.

// SearchLimit is how many hits a search returns at most.
const SearchLimit = 200

// searchJob is a search asked for and not started yet.
type searchJob struct {
	pk    key.PublicKey
	open  bool
	query string
	done  func([]store.Hit)
}

// searches holds the one search waiting for the worker: asking for another
// replaces it, so typing a query runs a search per pause, not per key.
type searches struct {
	mu   sync.Mutex
	next *searchJob
}

// Search looks for query (words, each a word or the start of one, any
// case and diacritics; store.Search) in the open chat's history, off the
// UI goroutine, and gives done the hits, newest first, at most
// SearchLimit, on the UI goroutine. done gets nil when no chat is open,
// the query has no words, the search failed (reported to OnError), or
// another chat was opened meanwhile. A search still waiting for the worker
// when the next is asked for is dropped: its done is never called, so the
// last done called always answers the last query. UI goroutine.
func (vm *VM) Search(query string, done func([]store.Hit)) {
	job := &searchJob{pk: vm.chatPK, open: vm.chatOpen, query: query, done: done}
	vm.search.mu.Lock()
	waiting := vm.search.next != nil
	vm.search.next = job
	vm.search.mu.Unlock()
	if !waiting {
		vm.work.post(vm.runSearch)
	}
}

// runSearch runs the latest search asked for. Runs on the worker.
func (vm *VM) runSearch() {
	vm.search.mu.Lock()
	job := vm.search.next
	vm.search.next = nil
	vm.search.mu.Unlock()
	if job == nil {
		return
	}
	var hits []store.Hit
	if job.open {
		var err error
		if hits, err = vm.store.Search(job.pk, job.query, SearchLimit); err != nil {
			vm.fail(err)
			hits = nil
		}
	}
	vm.do(func() {
		if !vm.chatOpen || vm.chatPK != job.pk {
			hits = nil
		}
		if job.done != nil {
			job.done(hits)
		}
	})
}

// JumpTo makes message id of the open chat one of the loaded messages,
// with messages on both sides of it: when it is not loaded yet, the loaded
// messages become the page around it (PageSize/2 older and newer; a local
// read, like OpenChat). It reports whether id is loaded now: false when no
// chat is open or id is not a message of the open chat. The UI then shows
// the message (Chat's messages hold it).
func (vm *VM) JumpTo(id int64) bool {
	if !vm.chatOpen {
		return false
	}
	if _, ok := vm.indexOf(id); ok {
		return true
	}
	half := PageSize / 2
	msgs, err := vm.store.Around(vm.chatPK, id, half, half)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			vm.fail(err)
		}
		return false
	}
	i, _ := slices.BinarySearchFunc(msgs, id, cmpID)
	vm.chat, vm.older, vm.newer = msgs, i == half, len(msgs)-1-i == half
	vm.changed(ChangedChat)
	return true
}

// HasNewer reports whether the open chat has newer messages in the store
// than the loaded ones: after JumpTo, until LoadNewer reaches the newest.
func (vm *VM) HasNewer() bool { return vm.newer }

// LoadNewer appends the next page of the open chat after a JumpTo.
func (vm *VM) LoadNewer() {
	if !vm.chatOpen || !vm.newer {
		return
	}
	var after int64
	if n := len(vm.chat); n > 0 {
		after = vm.chat[n-1].ID
	}
	msgs, err := vm.store.PageAfter(vm.chatPK, after, PageSize)
	if err != nil {
		vm.fail(err)
		return
	}
	vm.chat = append(vm.chat, msgs...)
	vm.newer = len(msgs) == PageSize
	vm.changed(ChangedChat)
}

// showNew adds m, just stored, to the open chat if it is m's friend's.
// While the loaded messages stop short of the newest, a received message
// is left to LoadNewer, and one we sent takes the chat back to its newest
// page: the user wants to see what they sent. A message loaded already (a
// page read after m was stored, before this ran) is not added twice. UI
// goroutine.
func (vm *VM) showNew(m store.Message) {
	switch {
	case !vm.chatOpen || vm.chatPK != m.Friend:
	case vm.newer && m.Outgoing:
		msgs, err := vm.store.Page(m.Friend, 0, PageSize)
		if err != nil {
			vm.fail(err)
			return
		}
		vm.chat, vm.older, vm.newer = msgs, len(msgs) == PageSize, false
	case vm.newer:
	case len(vm.chat) == 0 || vm.chat[len(vm.chat)-1].ID < m.ID:
		vm.chat = append(vm.chat, m)
	}
}

// indexOf finds message id among the loaded messages (sorted by id).
func (vm *VM) indexOf(id int64) (int, bool) {
	return slices.BinarySearchFunc(vm.chat, id, cmpID)
}

func cmpID(m store.Message, id int64) int { return cmp.Compare(m.ID, id) }
