package tcprelay

import "parley/net/key"

// Event is what a relay connection reports to its user. The concrete
// types are Routed, RouteRefused, PeerOnline, PeerOffline, Received,
// OOBReceived and OnionReceived.
type Event interface{ isEvent() }

// Routed: the relay gave ConnID to the peer PK, which is not connected to
// it yet (or, for a repeated request, the id it already gave). Data can
// flow after PeerOnline.
type Routed struct {
	ConnID ConnID
	PK     key.PublicKey
}

// RouteRefused: the relay refused a routing request for PK (our own key,
// or all of our 240 connection ids are in use).
type RouteRefused struct {
	PK key.PublicKey
}

// PeerOnline: the peer behind ConnID has routed to us too; Send works.
type PeerOnline struct {
	ConnID ConnID
	PK     key.PublicKey
}

// PeerOffline: the peer behind ConnID left the relay or dropped its route
// to us. The id stays ours; PeerOnline follows if the peer comes back.
type PeerOffline struct {
	ConnID ConnID
	PK     key.PublicKey
}

// Received is data from the peer behind ConnID. Data is owned by the
// receiver.
type Received struct {
	ConnID ConnID
	PK     key.PublicKey
	Data   []byte
}

// OOBReceived is an out-of-band packet sent to us through the relay by the
// client with key From. Data is owned by the receiver.
type OOBReceived struct {
	From key.PublicKey
	Data []byte
}

// OnionReceived is an onion response the relay passed back to us (the
// payload of a UDP 0x8e: 0x84 announce response or 0x86 onion data).
// Packet is owned by the receiver.
type OnionReceived struct {
	Packet []byte
}

func (Routed) isEvent()        {}
func (RouteRefused) isEvent()  {}
func (PeerOnline) isEvent()    {}
func (PeerOffline) isEvent()   {}
func (Received) isEvent()      {}
func (OOBReceived) isEvent()   {}
func (OnionReceived) isEvent() {}
