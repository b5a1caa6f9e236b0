package viewmodel

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
)

// PageSize is how many messages a chat loads at a time.
const PageSize = 50

// Options configure a VM.
type Options struct {
	// Do runs a function on the UI goroutine; nil is fyne.Do.
	Do func(func())
	// Now is the clock for message times; nil is time.Now.
	Now func() time.Time
	// StatsEvery is how often the network status is polled; 0 is 1 s.
	StatsEvery time.Duration
	// Privacy is the initial privacy settings; nil is the defaults.
	Privacy *settings.Privacy
	// Notifier shows a desktop notification; it is called on the UI
	// goroutine for a message or friend request the user is not looking
	// at, while Notifications is on. nil shows none. The app wires it to
	// fyne.CurrentApp().SendNotification.
	Notifier func(title, body string)
	// Notifications is the initial state of the notifications switch
	// (settings.Settings.Notifications); SetNotifications changes it.
	Notifications bool
}

// VM is the view model of one open profile. Its getters and commands are
// for the UI goroutine only; it is not safe for concurrent use otherwise.
type VM struct {
	core  Core
	acct  *account.Account
	store *store.Store
	do    func(func())
	now   func() time.Time

	// OnChange is called on the UI goroutine after the state changed.
	OnChange func(Change)
	// OnError is called on the UI goroutine when a command failed.
	OnError func(error)

	// UI goroutine state.
	self     Self
	friends  map[key.PublicKey]*Friend
	requests []Request
	net      Network
	chatPK   key.PublicKey
	chatOpen bool
	chat     []store.Message
	older    bool // the open chat has older messages in the store
	newer    bool // ... and newer ones, after a JumpTo (search.go)
	typingTo map[key.PublicKey]bool
	privacy  settings.Privacy
	notify   func(title, body string)
	notifyOn bool
	focused  bool // the window has the focus

	unreadLoaded bool            // load has set the stored unread counts
	unreadEarly  []store.Message // received before that, not in an open chat

	// Receipts: the message row of each sent part still unconfirmed, and
	// how many parts each row waits for. Guarded by mu.
	mu        sync.Mutex
	parts     map[tox.MessageID]int64
	remaining map[int64]int

	search searches // the search waiting for the worker; own lock

	statsEvery time.Duration
	ctx        context.Context
	cancel     context.CancelFunc
	unsub      func()
	work       *serial
	wg         sync.WaitGroup
	once       sync.Once
}

// New makes the view model of acct over core, with history in st. Set
// OnChange and OnError, then call Start.
func New(core Core, acct *account.Account, st *store.Store, o Options) *VM {
	if o.Do == nil {
		o.Do = fyne.Do
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StatsEvery <= 0 {
		o.StatsEvery = time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	vm := &VM{
		core: core, acct: acct, store: st, do: o.Do, now: o.Now,
		friends:   make(map[key.PublicKey]*Friend),
		typingTo:  make(map[key.PublicKey]bool),
		parts:     make(map[tox.MessageID]int64),
		remaining: make(map[int64]int),
		ctx:       ctx, cancel: cancel,
		notify: o.Notifier, notifyOn: o.Notifications, focused: true,
	}
	p := acct.Profile()
	vm.self = Self{ID: p.Address(), Name: p.Name, StatusMessage: p.StatusMessage, Status: tox.UserStatus(p.Status)}
	for _, f := range p.Friends {
		vm.friends[f.PublicKey] = &Friend{PK: f.PublicKey, Name: f.Name, StatusMessage: f.StatusMessage,
			Pending: f.Status < profile.FriendConfirmed, UserStatus: tox.UserStatus(f.UserStatus)}
	}
	vm.statsEvery = o.StatsEvery
	vm.privacy = settings.Default().Privacy
	if o.Privacy != nil {
		vm.privacy = *o.Privacy
	}
	return vm
}

// Start subscribes to the core's events and loads the friend list, the
// pending requests and the last messages. Call it once, from the UI
// goroutine.
func (vm *VM) Start() {
	events, unsub := vm.core.Subscribe()
	vm.unsub = unsub
	vm.work = newSerial()
	vm.wg.Add(2)
	go vm.eventLoop(events)
	go vm.statsLoop()
	vm.work.post(vm.load)
}

// Close stops every goroutine of the view model, then closes the core and
// the store. Safe to call more than once.
func (vm *VM) Close() error {
	var err error
	vm.once.Do(func() {
		if vm.work != nil { // started: the node has had time to learn nodes
			vm.saveNodes()
		}
		vm.cancel()
		if vm.unsub != nil {
			vm.unsub()
		}
		if vm.work != nil {
			vm.work.stop()
		}
		vm.wg.Wait()
		err = errors.Join(vm.core.Close(), vm.store.Close())
	})
	return err
}

// load is the first job: the core's view of friends and requests and the
// store's newest messages.
func (vm *VM) load() {
	id, err := vm.core.ToxID(vm.ctx)
	if err != nil {
		vm.fail(err)
	}
	infos, ferr := vm.core.Friends(vm.ctx)
	reqs, rerr := vm.core.PendingRequests(vm.ctx)
	latest, lerr := vm.store.Latest()
	unread, upTo, uerr := vm.store.Unread()
	if e := errors.Join(ferr, rerr, lerr, uerr); e != nil {
		vm.fail(e)
	}
	vm.do(func() {
		if err == nil {
			vm.self.ID = id
		}
		for _, in := range infos {
			vm.mergeInfo(in)
		}
		for _, r := range reqs {
			vm.addRequest(Request{From: r.From, Message: r.Message})
		}
		for pk, m := range latest {
			if f := vm.friends[pk]; f != nil {
				f.Last, f.Activity = m, m.Time
			}
		}
		vm.loadUnread(unread, upTo)
		vm.changed(ChangedSelf | ChangedFriends | ChangedRequests)
	})
}

func (vm *VM) mergeInfo(in tox.FriendInfo) *Friend {
	f := vm.friends[in.PK]
	if f == nil {
		f = &Friend{PK: in.PK}
		vm.friends[in.PK] = f
	}
	if in.Name != "" {
		f.Name = in.Name
	}
	if in.StatusMessage != "" {
		f.StatusMessage = in.StatusMessage
	}
	f.Online = in.State == friend.StateOnline
	f.Pending = in.State < friend.StateConfirmed
	f.UserStatus = in.UserStatus
	f.Typing = in.Typing
	return f
}

func (vm *VM) changed(c Change) {
	if vm.OnChange != nil {
		vm.OnChange(c)
	}
}

// fail reports err on the UI goroutine. Any goroutine may call it.
func (vm *VM) fail(err error) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, tox.ErrClosed) {
		return
	}
	vm.do(func() {
		if vm.OnError != nil {
			vm.OnError(err)
		}
	})
}

// Self returns our identity.
func (vm *VM) Self() Self { return vm.self }

// Network returns the network status.
func (vm *VM) Network() Network { return vm.net }

// Requests returns the pending incoming friend requests, oldest first.
func (vm *VM) Requests() []Request { return slices.Clone(vm.requests) }

// Friend returns one friend.
func (vm *VM) Friend(pk key.PublicKey) (Friend, bool) {
	f, ok := vm.friends[pk]
	if !ok {
		return Friend{}, false
	}
	return *f, true
}

// Friends returns the friends whose name, status message or key contains
// query (any case), the most recently active first, then by name.
func (vm *VM) Friends(query string) []Friend {
	q := strings.ToLower(strings.TrimSpace(query))
	var out []Friend
	for _, f := range vm.friends {
		if q != "" && !strings.Contains(strings.ToLower(f.DisplayName()+"\n"+f.StatusMessage+"\n"+f.PK.String()), q) {
			continue
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Friend) int {
		if c := b.Activity.Compare(a.Activity); c != 0 {
			return c
		}
		if c := strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())); c != 0 {
			return c
		}
		return strings.Compare(a.PK.String(), b.PK.String())
	})
	return out
}

// Chat returns the open chat's friend and loaded messages, oldest first;
// ok is false when no chat is open.
func (vm *VM) Chat() (pk key.PublicKey, msgs []store.Message, ok bool) {
	return vm.chatPK, vm.chat, vm.chatOpen
}

// HasOlder reports whether the open chat has older messages to load.
func (vm *VM) HasOlder() bool { return vm.older }

func (vm *VM) addRequest(r Request) {
	for i, q := range vm.requests {
		if q.From == r.From {
			vm.requests[i] = r
			return
		}
	}
	vm.requests = append(vm.requests, r)
}
