package viewmodel

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"parley/app/settings"
	"parley/net/key"
	"parley/net/nodes"
	"parley/net/profile"
)

// Privacy returns the privacy settings in force.
func (vm *VM) Privacy() settings.Privacy { return vm.privacy }

// SetPrivacy applies new privacy settings at once: with typing
// notifications off, a friend we told we were typing is told we stopped;
// with receipts off the chat hides delivery states.
func (vm *VM) SetPrivacy(p settings.Privacy) {
	if !p.TypingNotifications && vm.privacy.TypingNotifications {
		vm.SetTyping(false)
	}
	vm.privacy = p
	vm.changed(ChangedChat)
}

// NewNospam gives our Tox ID a new random nospam, so requests sent to the
// old ID are refused (friends are not affected). The profile is saved and
// the own-ID view updates; done, if not nil, gets the result on the UI
// goroutine.
func (vm *VM) NewNospam(done func(error)) {
	vm.work.post(func() {
		var ns key.Nospam
		_, err := rand.Read(ns[:])
		if err == nil {
			err = vm.core.SetNospam(vm.ctx, ns)
		}
		if err == nil {
			err = vm.acct.Update(func(p *profile.Profile) { p.Nospam = ns })
		}
		if err != nil {
			err = fmt.Errorf("changing the nospam: %w", err)
		}
		vm.do(func() {
			if err == nil {
				vm.self.ID.Nospam = ns
				vm.changed(ChangedSelf)
			}
			if done != nil {
				done(err)
			}
		})
	})
}

// saveNodes writes the core's good DHT nodes to the node cache next to the
// profile, for a quick bootstrap at the next start. An empty list does not
// replace a cache. Runs on the worker, or in Close.
func (vm *VM) saveNodes() {
	nl, ok := vm.core.(NodeLister)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	good, err := nl.Nodes(ctx)
	if err != nil || len(good) == 0 {
		return
	}
	vm.fail((nodes.Cache{Path: vm.acct.NodesCachePath()}).Save(good, vm.now().Unix()))
}
