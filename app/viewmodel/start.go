package viewmodel

import (
	"context"
	"math/rand/v2"
	"net"
	"time"

	"parley/app/account"
	"parley/app/settings"
	"parley/assets"
	"parley/net/nodes"
	"parley/net/profile"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

// NodeOptions configure StartNodeWith.
type NodeOptions struct {
	// Settings: the network section is applied (IPv6, LAN discovery, extra
	// bootstrap nodes). UDP off runs the node on its TCP relays alone
	// (tox.Config.DisableUDP); it then needs TCP relay candidates.
	Settings settings.Settings
	// Bootstrap nodes, in addition to the others.
	Bootstrap []wire.Node
	// Listen configures the socket; IPv6 is taken from Settings unless
	// BindAddr is set.
	Listen transport.Config
	// Local bootstraps from Bootstrap and the profile's saved nodes only:
	// no node cache, bundled list or settings nodes, no DNS (tests).
	Local bool
	// Conn, when set, is the socket to use instead of opening one with
	// Listen (tests run the app over net/netsim this way). The node
	// closes it.
	Conn transport.PacketConn
}

// StartNode starts a Tox node with acct's identity and friends and the
// settings saved in acct's directory (settings.Load), bootstrapping from
// the profile's saved DHT nodes, the node cache next to the profile, the
// settings' extra nodes and the bundled public list (assets.NodesJSON). It
// resolves host names, so call it off the UI goroutine. Friend requests
// that were still pending when the profile was saved are sent again.
func StartNode(acct *account.Account) (Core, error) {
	s, _ := settings.Load(acct.Dir) // a corrupt file gives the defaults
	n, err := StartNodeWith(acct, NodeOptions{Settings: s})
	if err != nil {
		return nil, err // not a typed nil
	}
	return n, nil
}

// StartNodeWith is StartNode with explicit options.
func StartNodeWith(acct *account.Account, o NodeOptions) (*tox.Node, error) {
	p := acct.Profile()
	boot := append([]wire.Node(nil), o.Bootstrap...)
	var relays []wire.Node
	if !o.Local {
		var entries []nodes.Entry
		if extra, err := o.Settings.Network.Nodes(); err == nil {
			entries = append(entries, extra...)
		}
		if cached, err := (nodes.Cache{Path: acct.NodesCachePath()}).Load(); err == nil {
			entries = append(entries, cached...)
		}
		if bundled, err := nodes.ParseJSON(assets.NodesJSON); err == nil {
			entries = append(entries, bundled...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resolved, _ := nodes.Resolve(ctx, entries, o.Settings.Network.IPv6, net.DefaultResolver.LookupNetIP)
		cancel()
		boot = append(boot, resolved...)
		relays = nodes.TCPRelays(entries, resolved, maxTCPRelayCandidates, rand.Shuffle)
	}
	for _, n := range p.DHTNodes {
		if o.Settings.Network.IPv6 || n.Addr.Addr().Unmap().Is4() {
			boot = append(boot, wire.Node{PK: n.PK, Addr: n.Addr})
		}
	}
	listen := o.Listen
	if !listen.BindAddr.IsValid() {
		listen.IPv6 = o.Settings.Network.IPv6
	}
	return startNodeOn(p, boot, relays, listen, o.Conn, o.Settings.Network.LANDiscovery, !o.Settings.Network.UDP, acct.PeerCachePath())
}

// maxTCPRelayCandidates bounds the TCP relays handed to the node (it keeps
// a few of them connected and moves on to the next when one fails).
const maxTCPRelayCandidates = 8

func startNode(p profile.Profile, boot []wire.Node, listen transport.Config, lan bool, peerCache string) (*tox.Node, error) {
	return startNodeOn(p, boot, nil, listen, nil, lan, false, peerCache)
}

func startNodeOn(p profile.Profile, boot, relays []wire.Node, listen transport.Config, conn transport.PacketConn, lan, disableUDP bool, peerCache string) (*tox.Node, error) {
	status := tox.UserStatus(p.Status)
	if !status.Valid() {
		status = tox.StatusOnline
	}
	var confirmed []profile.Friend
	var pending []profile.Friend
	for _, f := range p.Friends {
		if f.Status >= profile.FriendConfirmed {
			confirmed = append(confirmed, f)
		} else if f.RequestMessage != "" {
			pending = append(pending, f)
		}
	}
	cfg := tox.Config{
		Listen: listen, Conn: conn, Bootstrap: boot, TCPRelays: relays, LANDiscovery: lan, LANBroadcast: lan && !disableUDP,
		DisableUDP: disableUDP,
		Self:       p.Keys, Nospam: p.Nospam, Name: p.Name, StatusMessage: p.StatusMessage, UserStatus: status,
		// Friends' last DHT keys and addresses: back online in milliseconds
		// after a restart instead of waiting for the onion.
		PeerCachePath: peerCache,
	}
	for _, f := range confirmed {
		cfg.Friends = append(cfg.Friends, f.PublicKey)
	}
	n, err := tox.Start(cfg)
	if err != nil {
		return nil, err
	}
	for _, f := range pending {
		_ = n.AddFriend(context.Background(), f.Address(), f.RequestMessage) // a refused request stays refused; the friend shows as pending
	}
	return n, nil
}
