package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"parley/net/key"
	"parley/net/nodes"
	"parley/net/profile"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

// Exit codes of `parley headless`.
const (
	exitOK      = 0
	exitFailed  = 1 // the node could not start or stopped with an error
	exitUsage   = 2 // bad flags
	exitProfile = 3 // the profile could not be opened (wrong passphrase, damaged...)
)

// headlessOptions are the flags of `parley headless`.
type headlessOptions struct {
	profile   string
	passFile  string
	passEnv   string
	bootstrap []string
	nodesFile string
	public    bool
	port      uint
	ipv6      bool
	lan       bool
	verbose   bool

	// Set by tests only.
	listen    *transport.Config // replaces the socket flags
	saveEvery time.Duration     // periodic save (DHT nodes); 0: savePeriod
}

// savePeriod is how often the profile is saved with fresh DHT nodes when
// nothing else saved it.
const savePeriod = 5 * time.Minute

// maxSavedNodes bounds the DHT nodes kept in the profile for the next start.
const maxSavedNodes = 32

func parseHeadlessFlags(args []string, stderr io.Writer) (headlessOptions, error) {
	var o headlessOptions
	fs := flag.NewFlagSet("parley headless", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.profile, "profile", "", "the .tox profile; created (new Tox ID) if it does not exist")
	fs.StringVar(&o.passFile, "pass-file", "", "read the profile passphrase from this file (one trailing newline is ignored)")
	fs.StringVar(&o.passEnv, "pass-env", "", "read the profile passphrase from this environment variable")
	fs.Var((*listFlag)(&o.bootstrap), "bootstrap", "bootstrap node HOST:PORT:KEY (repeatable)")
	fs.StringVar(&o.nodesFile, "nodes", "", "a bootstrap node list in the nodes.tox.chat JSON format")
	fs.BoolVar(&o.public, "public", false, "also bootstrap from Parley's bundled list of public Tox nodes")
	fs.UintVar(&o.port, "port", 0, "UDP port to listen on (0: the first free port in 33445-33545)")
	fs.BoolVar(&o.ipv6, "ipv6", false, "listen on IPv6 too (dual stack)")
	fs.BoolVar(&o.lan, "lan", true, "LAN discovery: find and announce Tox nodes on the LAN")
	fs.BoolVar(&o.verbose, "verbose", false, "log the protocol layers on stderr")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: parley headless --profile FILE [--pass-file FILE | --pass-env VAR] [--bootstrap HOST:PORT:KEY]... [--port N] [--nodes FILE] [--public]\n\n"+
			"Runs a Tox client without a display, driven by JSON lines: one command per line on stdin,\n"+
			"one reply or event per line on stdout, logs on stderr. The first line out is\n"+
			"{\"event\":\"ready\",\"tox_id\":...}. It exits on stdin EOF, {\"cmd\":\"quit\"}, SIGINT or SIGTERM,\n"+
			"saving the profile. The README section \"Headless mode and scripting\" documents the protocol.\n"+
			"Exit codes: 0 clean exit, 1 failure, 2 bad flags, 3 the profile could not be opened.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (passphrases go in --pass-file or --pass-env, never on the command line)", fs.Arg(0))
	}
	if o.profile == "" {
		return o, errors.New("--profile FILE is required")
	}
	if o.port > 65535 {
		return o, fmt.Errorf("--port %d: not a port", o.port)
	}
	if o.passFile != "" && o.passEnv != "" {
		return o, errors.New("give the passphrase with --pass-file or --pass-env, not both")
	}
	return o, nil
}

// headlessMain is `parley headless`: flags, signals, exit code.
func headlessMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseHeadlessFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "parley headless:", err)
		return exitUsage
	}
	// A reader that goes away must not kill us with SIGPIPE before the
	// profile is saved: the write fails instead and the run ends cleanly.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = runHeadless(ctx, o, stdin, stdout, stderr)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errProfileOpen):
		fmt.Fprintln(stderr, "parley headless:", errorText(err))
		return exitProfile
	default:
		fmt.Fprintln(stderr, "parley headless:", errorText(err))
		return exitFailed
	}
}

// headless is one run: the node, the profile, and the JSON streams. Only
// the main loop (runHeadless) touches it.
type headless struct {
	o     headlessOptions
	out   *jsonWriter
	logf  func(format string, args ...any)
	store *profileStore
	node  *tox.Node
	// seen holds each friend's saved record, updated with what the friend
	// told us (name, status message, user status, last seen), so these
	// survive restarts and show before the friend comes online.
	seen     map[key.PublicKey]profile.Friend
	lastSelf tox.SelfConnection
	online   map[key.PublicKey]bool // friends reported online (friend_online sent)
}

// runHeadless runs the headless client until ctx is done, stdin ends or a
// quit command, then saves the profile. Commands are read from stdin;
// replies and events go to stdout; logs to stderr. An error that stops the
// run is also reported as a fatal "error" event on stdout.
func runHeadless(ctx context.Context, o headlessOptions, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	h := &headless{
		o:   o,
		out: &jsonWriter{w: stdout},
		logf: func(format string, args ...any) {
			fmt.Fprintf(stderr, time.Now().Format("15:04:05")+" "+format+"\n", args...)
		},
	}
	defer func() {
		if err != nil {
			// Best effort: stdout may be the reason we stop.
			_ = h.out.write(event("error", field{"error", errorText(err)}, field{"fatal", true}))
		}
	}()
	pass, err := readPassphrase(o.passFile, o.passEnv)
	if err != nil {
		return err
	}
	st, created, err := openProfile(o.profile, pass)
	if err != nil {
		return err
	}
	h.store = st
	if created {
		h.logf("created a new profile %s (encrypted: %v)", o.profile, st.encrypted())
	}
	if err := h.start(ctx); err != nil {
		return err
	}
	defer h.node.Close()
	events, cancel := h.node.Subscribe()
	defer cancel()
	h.restorePending(ctx)
	if err := h.ready(ctx, created); err != nil {
		return err
	}
	h.checkSelfConnection(ctx)
	h.checkFriendsOnline(ctx)
	return h.loop(ctx, stdin, events)
}

// start resolves the bootstrap nodes and starts the node with the
// profile's identity and friends.
func (h *headless) start(ctx context.Context) error {
	o, p := h.o, h.store.prof
	entries, err := bootstrapEntries(nodeOptions{bootstrap: o.bootstrap, nodesFile: o.nodesFile, public: o.public})
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	boot, failed := nodes.Resolve(rctx, entries, o.ipv6, net.DefaultResolver.LookupNetIP)
	cancel()
	for _, e := range failed {
		h.logf("bootstrap node %s: cannot resolve its address; skipped", e)
	}
	for _, n := range p.DHTNodes {
		if n.Addr.Addr().Unmap().Is4() || o.ipv6 {
			boot = append(boot, wire.Node{PK: n.PK, Addr: n.Addr})
		}
	}
	if len(boot) == 0 {
		h.logf("no bootstrap node: give --bootstrap, --nodes or --public, or wait for LAN discovery")
	}
	status := tox.UserStatus(p.Status)
	if !status.Valid() {
		status = tox.StatusOnline
	}
	h.seen = make(map[key.PublicKey]profile.Friend, len(p.Friends))
	var confirmed []key.PublicKey
	for _, f := range p.Friends {
		if _, dup := h.seen[f.PublicKey]; dup || f.PublicKey == p.Keys.Public || f.PublicKey[key.Size-1] >= 128 {
			h.logf("profile: dropping friend %s: a duplicate, our own key, or not a valid key", f.PublicKey.Short())
			continue
		}
		h.seen[f.PublicKey] = f
		if f.Status >= profile.FriendConfirmed {
			confirmed = append(confirmed, f.PublicKey)
		}
	}
	listen := transport.Config{Port: uint16(o.port), IPv6: o.ipv6}
	if o.listen != nil {
		listen = *o.listen
	}
	cfg := tox.Config{
		Listen:        listen,
		Bootstrap:     boot,
		TCPRelays:     nodes.TCPRelays(entries, boot, 8, rand.Shuffle), // friends behind blocked UDP
		LANDiscovery:  o.lan,
		LANBroadcast:  o.lan,
		Self:          p.Keys,
		Nospam:        p.Nospam,
		Name:          p.Name,
		StatusMessage: p.StatusMessage,
		UserStatus:    status,
		Friends:       confirmed,
		OutboxPath:    o.profile + ".outbox",
		PeerCachePath: o.profile + ".peers",
	}
	if o.verbose {
		cfg.Logf = h.logf
	}
	n, err := tox.Start(cfg)
	if err != nil {
		return err
	}
	h.node = n
	return nil
}

// restorePending re-sends the friend requests of friends saved while their
// request was pending, as libtoxcore does when it loads a profile. A saved
// request libtoxcore would refuse too (no message) is dropped, and said so.
func (h *headless) restorePending(ctx context.Context) {
	for _, f := range h.store.prof.Friends {
		if f.Status >= profile.FriendConfirmed {
			continue
		}
		if _, ok := h.seen[f.PublicKey]; !ok {
			continue
		}
		if err := h.node.AddFriend(ctx, f.Address(), f.RequestMessage); err != nil {
			h.logf("profile: dropping the pending friend request to %s: %v", f.PublicKey.Short(), err)
			delete(h.seen, f.PublicKey)
		}
	}
}

// ready prints the first line: our Tox ID, keys and port.
func (h *headless) ready(ctx context.Context, created bool) error {
	id, err := h.node.ToxID(ctx)
	if err != nil {
		return err
	}
	return h.out.write(event("ready",
		field{"tox_id", id.String()},
		field{"public_key", id.PublicKey.String()},
		field{"dht_key", h.node.DHTPublicKey().String()},
		field{"port", h.node.LocalAddr().Port()},
		field{"profile", h.o.profile},
		field{"created", created},
	))
}

// checkSelfConnection reports the connection state once: a change that
// happened between Start and Subscribe would otherwise go unreported.
func (h *headless) checkSelfConnection(ctx context.Context) {
	st, err := h.node.Stats(ctx)
	if err == nil {
		h.onEvent(ctx, st.Connected)
	}
}

// checkFriendsOnline reports the friends already online: with the peer
// cache a friend can be back within milliseconds, before Subscribe, and
// its friend_online would otherwise never be written. onEvent drops the
// event's copy if the subscription saw it too.
func (h *headless) checkFriendsOnline(ctx context.Context) {
	infos, err := h.node.Friends(ctx)
	if err != nil {
		return
	}
	for _, fi := range infos {
		if fi.State == friendOnline {
			h.onEvent(ctx, tox.FriendEvent{Event: tox.FriendOnline{Friend: fi.PK}})
		}
	}
}

// loop is the main loop: commands, events, signals and periodic saves.
func (h *headless) loop(ctx context.Context, stdin io.Reader, events <-chan tox.Event) error {
	stop := make(chan struct{})
	defer close(stop)
	lines := startLineReader(stdin, stop).lines
	every := h.o.saveEvery
	if every <= 0 {
		every = savePeriod
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			h.logf("signal: saving the profile and exiting")
			return h.finish()
		case l, ok := <-lines:
			if !ok {
				h.logf("stdin closed: saving the profile and exiting")
				return h.finish()
			}
			if stop, err := h.onLine(ctx, l); stop {
				return err
			}
		case e, ok := <-events:
			if !ok {
				return errors.New("the node stopped")
			}
			h.onEvent(ctx, e)
		case <-tick.C:
			h.save(ctx)
		}
		if err := h.out.failed(); err != nil {
			h.logf("%v: saving the profile and exiting", err)
			if serr := h.finish(); serr != nil {
				return serr
			}
			return err
		}
	}
}

// onLine handles one stdin line; stop is true after quit (the profile is
// then saved, and err is the save's error).
func (h *headless) onLine(ctx context.Context, l inputLine) (stop bool, err error) {
	if l.tooLong > 0 {
		_ = h.out.write(errReply(command{Cmd: replyInvalid}, fmt.Errorf("line of %d bytes, longer than the limit of %d", l.tooLong, maxCommandLine)))
		return false, nil
	}
	if len(bytes.TrimSpace(l.data)) == 0 {
		return false, nil
	}
	c, err := parseCommand(l.data)
	if err != nil {
		_ = h.out.write(errReply(c, err))
		return false, nil
	}
	reply, stop, err := h.handle(ctx, c)
	_ = h.out.write(reply) // a failed write ends the loop after this line
	return stop, err
}

// finish saves the profile at exit, with a fresh context: ctx may be the
// cancelled one of a signal.
func (h *headless) finish() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.syncProfile(ctx); err != nil {
		return fmt.Errorf("saving the profile at exit: %w", err)
	}
	if err := h.store.save(); err != nil {
		return fmt.Errorf("saving the profile at exit: %w", err)
	}
	return nil
}

// save saves the profile now; a failure is an "error" event, not the end
// of the run (the change itself was made).
func (h *headless) save(ctx context.Context) {
	err := h.syncProfile(ctx)
	if err == nil {
		err = h.store.save()
	}
	if err != nil {
		h.logf("saving the profile: %v", err)
		_ = h.out.write(event("error", field{"error", "saving the profile: " + errorText(err)}))
	}
}
