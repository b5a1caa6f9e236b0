package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"parley/assets"
	"parley/net/atomicfile"
	"parley/net/key"
	"parley/net/nodes"
	"parley/net/tox"
	"parley/net/transport"
)

// nodeOptions are the flags of `parley node`.
type nodeOptions struct {
	port      uint
	keys      string
	bootstrap []string
	nodesFile string
	cache     string
	public    bool
	ipv6      bool
	lan       bool
	logEvery  time.Duration
	motd      string
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func parseNodeFlags(args []string, stderr io.Writer) (nodeOptions, error) {
	var o nodeOptions
	fs := flag.NewFlagSet("parley node", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.UintVar(&o.port, "port", 33445, "UDP port to listen on (0: the first free port in 33445-33545)")
	fs.StringVar(&o.keys, "keys", "", "file holding the DHT key pair (pk|sk, 64 bytes, tox-bootstrapd's format); created if missing. Without it the key is new at every start")
	fs.Var((*listFlag)(&o.bootstrap), "bootstrap", "bootstrap node HOST:PORT:KEY (repeatable)")
	fs.StringVar(&o.nodesFile, "nodes", "", "a bootstrap node list in the nodes.tox.chat JSON format")
	fs.StringVar(&o.cache, "cache", "", "file for the last-good nodes: read at start, rewritten atomically every minute and at exit")
	fs.BoolVar(&o.public, "public", false, "also bootstrap from Parley's bundled list of public Tox nodes")
	fs.BoolVar(&o.ipv6, "ipv6", false, "listen on IPv6 too (dual stack)")
	fs.BoolVar(&o.lan, "lan", true, "LAN discovery: announce this node on the LAN every 10 s and answer LAN announcements")
	fs.DurationVar(&o.logEvery, "log-every", 10*time.Second, "how often to log the peer count")
	fs.StringVar(&o.motd, "motd", "Parley bootstrap node", "message of the day sent to BOOTSTRAP_INFO requests (at most 256 bytes)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: parley node --port N [--keys FILE] [--bootstrap HOST:PORT:KEY]...\n\n"+
			"Runs a headless Tox DHT node that other Tox clients (Parley, qTox, toxic, c-toxcore) can bootstrap from.\n"+
			"It prints its DHT public key and port, logs its peer count, and exits cleanly on SIGINT or SIGTERM.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if len(o.motd) > tox.MaxMOTD {
		return o, fmt.Errorf("--motd: %d bytes, at most %d", len(o.motd), tox.MaxMOTD)
	}
	if o.port > 65535 {
		return o, fmt.Errorf("--port %d: not a port", o.port)
	}
	return o, nil
}

func runNode(args []string, stdout, stderr io.Writer) int {
	o, err := parseNodeFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "parley node:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveNode(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "parley node:", err)
		return 1
	}
	return 0
}

// serveNode runs the node until ctx is done.
func serveNode(ctx context.Context, o nodeOptions, stdout, stderr io.Writer) error {
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, time.Now().Format("15:04:05")+" "+format+"\n", args...)
	}
	var keys *key.Pair
	if o.keys != "" {
		k, err := loadOrCreateKeys(o.keys)
		if err != nil {
			return err
		}
		keys = &k
	}
	entries, err := bootstrapEntries(o)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	boot, failed := nodes.Resolve(rctx, entries, o.ipv6, net.DefaultResolver.LookupNetIP)
	cancel()
	for _, e := range failed {
		logf("bootstrap node %s: cannot resolve its address; skipped", e)
	}
	cfg := tox.Config{
		Listen:       transport.Config{Port: uint16(o.port), IPv6: o.ipv6},
		DHTKeys:      keys,
		Bootstrap:    boot,
		LANDiscovery: o.lan,
		LANBroadcast: o.lan,
		RelayOnly:    true,
		MOTD:         o.motd,
	}
	n, err := tox.Start(cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	fmt.Fprintf(stdout, "DHT public key: %s\n", n.DHTPublicKey())
	fmt.Fprintf(stdout, "UDP port: %d\n", n.LocalAddr().Port())
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	if len(boot) == 0 {
		logf("no bootstrap node reachable: waiting for other nodes to contact this one")
	} else {
		logf("bootstrapping from %d node(s)", len(boot))
	}
	tick := time.NewTicker(o.logEvery)
	defer tick.Stop()
	saveEvery := time.NewTicker(time.Minute)
	defer saveEvery.Stop()
	last := -1
	for {
		select {
		case <-ctx.Done():
			saveCache(n, o.cache, logf)
			st, _ := n.Stats(context.Background())
			logf("shutting down: %d good nodes, %d packets in, %d out", st.GoodNodes, st.Transport.Received, st.Transport.Sent)
			return nil
		case <-saveEvery.C:
			saveCache(n, o.cache, logf)
		case <-tick.C:
			st, err := n.Stats(ctx)
			if err != nil {
				continue
			}
			if st.GoodNodes != last || o.logEvery >= time.Minute {
				logf("peers: %d good nodes", st.GoodNodes)
				last = st.GoodNodes
			}
		}
	}
}

func bootstrapEntries(o nodeOptions) ([]nodes.Entry, error) {
	var out []nodes.Entry
	for _, a := range o.bootstrap {
		e, err := nodes.ParseArg(a)
		if err != nil {
			return nil, fmt.Errorf("--bootstrap: %w", err)
		}
		out = append(out, e)
	}
	if o.nodesFile != "" {
		e, err := nodes.LoadFile(o.nodesFile)
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	if o.cache != "" {
		e, err := nodes.Cache{Path: o.cache}.Load()
		if err != nil {
			// A corrupt cache is not fatal: it is rewritten at the next save.
			fmt.Fprintln(os.Stderr, "parley node: ignoring", err)
		}
		out = append(out, e...)
	}
	if o.public {
		e, err := nodes.ParseJSON(assets.NodesJSON)
		if err != nil {
			return nil, fmt.Errorf("bundled node list: %w", err)
		}
		out = append(out, e...)
	}
	return out, nil
}

func saveCache(n *tox.Node, path string, logf func(string, ...any)) {
	if path == "" {
		return
	}
	good, err := n.Nodes(context.Background())
	if err != nil || len(good) == 0 {
		return // keep the previous cache rather than emptying it
	}
	if err := (nodes.Cache{Path: path}).Save(good, time.Now().Unix()); err != nil {
		logf("saving node cache: %v", err)
	}
}

// loadOrCreateKeys reads a 64-byte pk|sk file, or creates one.
func loadOrCreateKeys(path string) (key.Pair, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := key.NewPair(nil)
		if err != nil {
			return key.Pair{}, err
		}
		buf := append(append([]byte{}, k.Public[:]...), k.Secret[:]...)
		if err := atomicfile.WriteFile(path, buf, 0o600); err != nil {
			return key.Pair{}, fmt.Errorf("creating key file: %w", err)
		}
		return k, nil
	}
	if err != nil {
		return key.Pair{}, fmt.Errorf("key file: %w", err)
	}
	if len(b) != 2*key.Size {
		return key.Pair{}, fmt.Errorf("key file %s: %d bytes, want %d (public key then secret key)", path, len(b), 2*key.Size)
	}
	var sk key.SecretKey
	copy(sk[:], b[key.Size:])
	k := key.PairFromSecret(sk)
	if string(k.Public[:]) != string(b[:key.Size]) {
		return key.Pair{}, fmt.Errorf("key file %s: the public key does not belong to the secret key", path)
	}
	return k, nil
}
