package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
)

// defaultRequestMessage is sent with "add" when the command has no
// "message" (libtoxcore refuses an empty one).
const defaultRequestMessage = "Hi, I would like to add you as a friend."

// handle runs one decoded command and returns its reply. For quit it
// saves the profile first, so a script that reads the reply knows the
// profile is on disk; stop is then true and err is the save's error.
func (h *headless) handle(ctx context.Context, c command) (reply object, stop bool, err error) {
	if c.Cmd == cmdQuit {
		if err := h.finish(); err != nil {
			return errReply(c, err), true, err
		}
		return okReply(c), true, nil
	}
	fields, err := h.run(ctx, c)
	if err != nil {
		return errReply(c, err), false, nil
	}
	return okReply(c, fields...), false, nil
}

func (h *headless) run(ctx context.Context, c command) ([]field, error) {
	switch c.Cmd {
	case cmdID:
		return h.idFields(ctx)
	case cmdAdd:
		return h.add(ctx, c)
	case cmdAccept, cmdDecline, cmdRemove:
		return h.answer(ctx, c)
	case cmdSend:
		return h.send(ctx, c)
	case cmdName, cmdStatusMessage, cmdStatus:
		return h.setSelf(ctx, c)
	case cmdTyping:
		pk, err := parsePeerKey(c.PublicKey)
		if err != nil {
			return nil, err
		}
		if c.Typing == nil {
			return nil, errors.New("\"typing\" (true or false) is missing")
		}
		return []field{{"public_key", pk.String()}, {"typing", *c.Typing}}, h.node.SetTyping(ctx, pk, *c.Typing)
	case cmdNospam:
		return h.nospam(ctx, c)
	case cmdFriends:
		return h.friendList(ctx)
	case cmdRequests:
		return h.requestList(ctx)
	case cmdExport:
		return h.export(ctx, c)
	case cmdQueue:
		return h.queue(ctx, c)
	case cmdOutbox:
		return h.outboxList(ctx, c)
	}
	// parseCommand lets only known names through.
	return nil, fmt.Errorf("unknown command %q", c.Cmd)
}

func (h *headless) idFields(ctx context.Context) ([]field, error) {
	id, err := h.node.ToxID(ctx)
	if err != nil {
		return nil, err
	}
	return []field{
		{"tox_id", id.String()},
		{"public_key", id.PublicKey.String()},
		{"nospam", strings.ToUpper(hex.EncodeToString(id.Nospam[:]))},
	}, nil
}

// addArgs reads the Tox ID (a tox: URI too) and the request message of
// an add command. Errors wrap key.ErrIDLength, ErrIDHex or ErrIDChecksum.
func addArgs(c command) (key.ToxID, string, error) {
	if strings.TrimSpace(c.ToxID) == "" {
		return key.ToxID{}, "", errors.New("\"tox_id\" is missing")
	}
	id, err := key.ParseToxID(c.ToxID)
	if err != nil {
		return key.ToxID{}, "", fmt.Errorf("\"tox_id\": %w", err)
	}
	msg := defaultRequestMessage
	if c.Message != nil {
		msg = *c.Message
	}
	return id, msg, nil
}

func (h *headless) add(ctx context.Context, c command) ([]field, error) {
	id, msg, err := addArgs(c)
	if err != nil {
		return nil, err
	}
	if err := h.node.AddFriend(ctx, id, msg); err != nil {
		return nil, err
	}
	h.save(ctx)
	return []field{{"public_key", id.PublicKey.String()}}, nil
}

// answer runs accept, decline and remove, which all name a key.
func (h *headless) answer(ctx context.Context, c command) ([]field, error) {
	pk, err := parsePeerKey(c.PublicKey)
	if err != nil {
		return nil, err
	}
	switch c.Cmd {
	case cmdAccept:
		err = h.node.Accept(ctx, pk)
	case cmdDecline:
		err = h.node.Decline(ctx, pk)
	case cmdRemove:
		if err = h.node.RemoveFriend(ctx, pk); err == nil {
			delete(h.seen, pk)
		}
	}
	if err != nil {
		return nil, err
	}
	if c.Cmd != cmdDecline { // a declined request was never saved
		h.save(ctx)
	}
	return []field{{"public_key", pk.String()}}, nil
}

func (h *headless) send(ctx context.Context, c command) ([]field, error) {
	pk, kind, text, err := messageArgs(c)
	if err != nil {
		return nil, err
	}
	ids, err := h.node.SendMessage(ctx, pk, kind, text)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []tox.MessageID{}
	}
	return []field{{"public_key", pk.String()}, {"message_ids", ids}}, nil
}

// messageArgs reads the friend, kind and text of send and queue.
func messageArgs(c command) (key.PublicKey, tox.MessageKind, string, error) {
	pk, err := parsePeerKey(c.PublicKey)
	if err != nil {
		return pk, 0, "", err
	}
	if c.Text == nil {
		return pk, 0, "", errors.New("\"text\" is missing")
	}
	kind := tox.MessageNormal
	if c.Action {
		kind = tox.MessageAction
	}
	return pk, kind, *c.Text, nil
}

// setSelf runs name, status_message and status.
func (h *headless) setSelf(ctx context.Context, c command) ([]field, error) {
	p := h.store.prof
	switch c.Cmd {
	case cmdName:
		if c.Name == nil {
			return nil, errors.New("\"name\" is missing")
		}
		if err := h.node.SetName(ctx, *c.Name); err != nil {
			return nil, err
		}
		p.Name = *c.Name
		h.save(ctx)
		return []field{{"name", p.Name}}, nil
	case cmdStatusMessage:
		if c.StatusMessage == nil {
			return nil, errors.New("\"status_message\" is missing")
		}
		if err := h.node.SetStatusMessage(ctx, *c.StatusMessage); err != nil {
			return nil, err
		}
		p.StatusMessage = *c.StatusMessage
		h.save(ctx)
		return []field{{"status_message", p.StatusMessage}}, nil
	}
	s, err := parseStatus(c.Status)
	if err != nil {
		return nil, err
	}
	if err := h.node.SetUserStatus(ctx, s); err != nil {
		return nil, err
	}
	p.Status = profile.UserStatus(s)
	h.save(ctx)
	return []field{{"status", statusName(s)}}, nil
}

func (h *headless) nospam(ctx context.Context, c command) ([]field, error) {
	var ns key.Nospam
	if c.Nospam != nil {
		var err error
		if ns, err = parseNospam(*c.Nospam); err != nil {
			return nil, err
		}
	} else if _, err := rand.Read(ns[:]); err != nil {
		return nil, err
	}
	if err := h.node.SetNospam(ctx, ns); err != nil {
		return nil, err
	}
	h.store.prof.Nospam = ns
	h.save(ctx)
	return h.idFields(ctx)
}

func (h *headless) friendList(ctx context.Context) ([]field, error) {
	infos, err := h.node.Friends(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]object, 0, len(infos))
	for _, fi := range infos {
		rec := h.record(fi)
		list = append(list, object{
			{"public_key", fi.PK.String()},
			{"state", friendState(fi.State)},
			{"name", rec.Name},
			{"status_message", rec.StatusMessage},
			{"status", statusName(tox.UserStatus(rec.UserStatus))},
			{"online", fi.State == friendOnline},
			{"connected", fi.Connected},
			{"typing", fi.Typing},
			{"last_seen", rec.LastSeen},
		})
	}
	return []field{{"friends", list}}, nil
}

func (h *headless) requestList(ctx context.Context) ([]field, error) {
	reqs, err := h.node.PendingRequests(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]object, 0, len(reqs))
	for _, r := range reqs {
		list = append(list, object{{"public_key", r.From.String()}, {"message", r.Message}})
	}
	return []field{{"requests", list}}, nil
}

func (h *headless) export(ctx context.Context, c command) ([]field, error) {
	if err := h.syncProfile(ctx); err != nil {
		return nil, err
	}
	if err := exportProfile(h.store.prof, c.Path, c.Passphrase, c.Overwrite, h.store.path); err != nil {
		return nil, err
	}
	return []field{
		{"path", c.Path},
		{"encrypted", c.Passphrase != ""},
		{"tox_id", h.store.prof.Address().String()},
	}, nil
}
