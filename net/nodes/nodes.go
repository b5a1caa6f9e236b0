// Package nodes owns the lists of bootstrap nodes a Parley node starts from:
// the bundled list (in the nodes.tox.chat JSON format that qTox and toxic
// also read), a user-editable list in the same format, `HOST:PORT:KEY`
// command-line entries, and the cache of last-good DHT nodes, written
// atomically so a crash never leaves it half written.
//
// Entries name hosts; Resolve turns them into DHT nodes. Nothing here talks
// to the network except Resolve's injected lookup function.
package nodes

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"parley/net/key"
)

// Entry is one bootstrap node as lists name it.
type Entry struct {
	IPv4       string // host name or IPv4 address; "" or "-" when absent
	IPv6       string // host name or IPv6 address; "" or "-" when absent
	Port       uint16
	TCPPorts   []uint16
	PK         key.PublicKey // DHT public key
	Maintainer string
	Location   string
	LastPing   int64 // Unix seconds; 0 when unknown
}

// ErrBadEntry reports a list entry or argument that cannot be used.
var ErrBadEntry = errors.New("nodes: bad bootstrap node")

// jsonList is the nodes.tox.chat document.
type jsonList struct {
	LastScan    int64      `json:"last_scan"`
	LastRefresh int64      `json:"last_refresh"`
	Nodes       []jsonNode `json:"nodes"`
}

type jsonNode struct {
	IPv4       string `json:"ipv4"`
	IPv6       string `json:"ipv6"`
	Port       int    `json:"port"`
	TCPPorts   []int  `json:"tcp_ports"`
	PublicKey  string `json:"public_key"`
	Maintainer string `json:"maintainer,omitempty"`
	Location   string `json:"location,omitempty"`
	StatusUDP  bool   `json:"status_udp"`
	StatusTCP  bool   `json:"status_tcp"`
	Version    string `json:"version,omitempty"`
	MOTD       string `json:"motd,omitempty"`
	LastPing   int64  `json:"last_ping"`
}

// ParseJSON parses a nodes.tox.chat document. Entries that are unusable (bad
// key, no port, no address) are skipped and reported together in the error,
// which is non-nil only when no entry at all could be used.
func ParseJSON(b []byte) ([]Entry, error) {
	var doc jsonList
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: not a nodes list: %v", ErrBadEntry, err)
	}
	var out []Entry
	var bad []string
	for i, n := range doc.Nodes {
		e, err := n.entry()
		if err != nil {
			bad = append(bad, fmt.Sprintf("node %d: %v", i, err))
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 && len(doc.Nodes) > 0 {
		return nil, fmt.Errorf("%w: no usable node (%s)", ErrBadEntry, strings.Join(bad, "; "))
	}
	return out, nil
}

func (n jsonNode) entry() (Entry, error) {
	pk, err := key.ParsePublicKey(n.PublicKey)
	if err != nil {
		return Entry{}, err
	}
	if n.Port <= 0 || n.Port > 65535 {
		return Entry{}, fmt.Errorf("port %d", n.Port)
	}
	e := Entry{IPv4: clean(n.IPv4), IPv6: clean(n.IPv6), Port: uint16(n.Port), PK: pk,
		Maintainer: n.Maintainer, Location: n.Location, LastPing: n.LastPing}
	if e.IPv4 == "" && e.IPv6 == "" {
		return Entry{}, errors.New("no address")
	}
	for _, p := range n.TCPPorts {
		if p > 0 && p <= 65535 {
			e.TCPPorts = append(e.TCPPorts, uint16(p))
		}
	}
	return e, nil
}

func clean(s string) string {
	s = strings.TrimSpace(s)
	if s == "-" {
		return ""
	}
	return s
}

// MarshalJSON writes entries as a nodes.tox.chat document stamped with now
// (Unix seconds), readable by ParseJSON, qTox and toxic.
func MarshalJSON(entries []Entry, now int64) ([]byte, error) {
	doc := jsonList{LastScan: now, LastRefresh: now, Nodes: make([]jsonNode, 0, len(entries))}
	for _, e := range entries {
		n := jsonNode{IPv4: dash(e.IPv4), IPv6: dash(e.IPv6), Port: int(e.Port), TCPPorts: []int{},
			PublicKey: e.PK.String(), Maintainer: e.Maintainer, Location: e.Location,
			StatusUDP: true, StatusTCP: len(e.TCPPorts) > 0, LastPing: e.LastPing}
		for _, p := range e.TCPPorts {
			n.TCPPorts = append(n.TCPPorts, int(p))
		}
		doc.Nodes = append(doc.Nodes, n)
	}
	return json.MarshalIndent(doc, "", "  ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ParseArg parses a command-line node `HOST:PORT:KEY`; an IPv6 host is
// written in brackets, as in `[::1]:33445:KEY`.
func ParseArg(s string) (Entry, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return Entry{}, fmt.Errorf("%w: %q is not HOST:PORT:KEY", ErrBadEntry, s)
	}
	pk, err := key.ParsePublicKey(s[i+1:])
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %q: %v", ErrBadEntry, s, err)
	}
	hostPort := s[:i]
	j := strings.LastIndexByte(hostPort, ':')
	if j < 0 {
		return Entry{}, fmt.Errorf("%w: %q is not HOST:PORT:KEY", ErrBadEntry, s)
	}
	port, err := strconv.ParseUint(hostPort[j+1:], 10, 16)
	if err != nil || port == 0 {
		return Entry{}, fmt.Errorf("%w: %q: bad port", ErrBadEntry, s)
	}
	e := Entry{Port: uint16(port), PK: pk}
	host := hostPort[:j]
	bracketed := strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") && len(host) >= 2
	if bracketed {
		host = host[1 : len(host)-1]
	}
	if a, err := netip.ParseAddr(host); err == nil {
		switch {
		case a.Is4() && !bracketed:
			e.IPv4 = host
		case a.Is4In6():
			e.IPv4 = a.Unmap().String()
		case a.Is6():
			e.IPv6 = host
		default:
			return Entry{}, fmt.Errorf("%w: %q: bad host", ErrBadEntry, s)
		}
		return e, nil
	}
	if bracketed || !validHostname(host) {
		return Entry{}, fmt.Errorf("%w: %q: bad host %q", ErrBadEntry, s, host)
	}
	e.IPv4 = host
	return e, nil
}

// validHostname reports whether h is a DNS name made of letters, digits,
// '-', '_' and dots, with no empty label.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
			if !ok {
				return false
			}
		}
	}
	return true
}

// String formats the entry as ParseArg reads it.
func (e Entry) String() string {
	host := e.IPv4
	if host == "" {
		host = "[" + e.IPv6 + "]"
	}
	return fmt.Sprintf("%s:%d:%s", host, e.Port, e.PK)
}
