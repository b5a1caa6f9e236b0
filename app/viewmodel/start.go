package viewmodel

import (
	"context"
	"net"
	"time"

	"parley/app/account"
	"parley/assets"
	"parley/net/nodes"
	"parley/net/profile"
	"parley/net/tox"
	"parley/net/transport"
	"parley/net/wire"
)

// StartNode starts a Tox node with acct's identity and friends,
// bootstrapping from the profile's saved DHT nodes, the node cache next to
// the profile and the bundled public list (assets.NodesJSON). It resolves
// host names, so call it off the UI goroutine. Friend requests that were
// still pending when the profile was saved are sent again.
func StartNode(acct *account.Account) (Core, error) {
	p := acct.Profile()
	var entries []nodes.Entry
	if cached, err := (nodes.Cache{Path: acct.NodesCachePath()}).Load(); err == nil {
		entries = append(entries, cached...)
	}
	if bundled, err := nodes.ParseJSON(assets.NodesJSON); err == nil {
		entries = append(entries, bundled...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	boot, _ := nodes.Resolve(ctx, entries, false, net.DefaultResolver.LookupNetIP)
	cancel()
	for _, n := range p.DHTNodes {
		if n.Addr.Addr().Unmap().Is4() {
			boot = append(boot, wire.Node{PK: n.PK, Addr: n.Addr})
		}
	}
	return startNode(p, boot, transport.Config{})
}

func startNode(p profile.Profile, boot []wire.Node, listen transport.Config) (*tox.Node, error) {
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
		Listen: listen, Bootstrap: boot, LANDiscovery: true, LANBroadcast: true,
		Self: p.Keys, Nospam: p.Nospam, Name: p.Name, StatusMessage: p.StatusMessage, UserStatus: status,
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
