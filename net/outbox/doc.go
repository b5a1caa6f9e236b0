// Package outbox owns Parley's durable per-friend message queue: messages
// written to a friend are stored on disk before they are reported as
// stored, sent in order when the friend is online, and forgotten only once
// the friend's connection acknowledged every part (tox-protocol.md §7,
// "Read receipts are implicit"). The same file keeps the receiver's bounded
// set of recently delivered message ids, which drops a resent part a
// Parley peer already delivered (see MsgIDHint in net/tox).
//
// Queue is the pure logic (no files, no clock, no randomness); Outbox puts
// it on a file.
//
// # File layout
//
// The file starts with the 8-byte magic "PRLYOBX\x01" and is followed by
// frames, appended and fsynced one batch at a time:
//
//	frame   = length u32 BE | crc u32 BE | payload[length]
//	crc     = CRC-32C (Castagnoli) of payload
//	payload = type u8 | body
//
//	type 1 Enqueue: id u64 | friend pk [32] | kind u8 | msgid [16] | unix ns i64 | text
//	type 2 Acked:   id u64 | part u16          (part of message id was receipted)
//	type 3 Seen:    friend pk [32] | msgid [16] | part u16   (receiver side)
//	type 4 NextID:  next id u64                (written by compaction)
//
// All integers are big-endian. The file is replayed on Open. A frame whose
// length runs past the end of the file (a torn append) ends the replay; a
// frame whose CRC does not match is skipped. The file is then cut after
// the last good frame, so a crash during an append never costs an earlier
// record. When most records describe delivered messages the file is
// rewritten with the live records only, atomically (net/atomicfile).
package outbox
