// Package profile owns the user's saved identity: the .tox savedata format
// that c-toxcore 0.2.18 and so qTox, toxic and uTox read and write, the
// toxencryptsave passphrase encryption around it, and crash-safe storage of
// the file with a backup (tox-protocol.md §12).
//
// # Plain profile (tox-protocol.md §12.1)
//
//	u32 0 | u32 LE 0x15ed1b1f                     file header
//	sections, each: length u32 LE | type u16 LE | 0x01ce u16 LE | data
//	END section: length 0, type 255
//	after END: nothing, zero bytes, or Parley's checksum trailer
//
// Sections Parley reads (every other one, such as CONFERENCES, is kept as
// raw bytes in Profile.Other):
//
//	1  NOSPAMKEYS     nospam(4) | pk(32) | sk(32); the pk must match the sk
//	2  DHT            u32 LE 0x0159000d, then subsections length u32 LE |
//	                  type u16 LE | 0x11ce u16 LE | data; type 4 holds packed
//	                  nodes (§3.3), other types are skipped
//	3  FRIENDS        2216-byte records (friend.go)
//	4  NAME           raw bytes, at most 128
//	5  STATUSMESSAGE  raw bytes, at most 1007
//	6  STATUS         1 byte: 0 none, 1 away, 2 busy
//	10 TCP_RELAY      packed nodes
//	11 PATH_NODE      packed nodes (onion path nodes)
//
// The nospam section field is the u32 LE of c-toxcore's in-memory nospam; on
// the little-endian machines every Tox client runs on, those 4 bytes are
// exactly the address bytes, and Parley takes them as such.
//
// libtoxcore writes all of the sections above in this order, then
// CONFERENCES and END, and pads the file with zero bytes after END (it sizes
// its buffer for full TCP_RELAY and PATH_NODE sections). Parse accepts and
// AppendBinary restores that padding.
//
// # Byte-for-byte round trips
//
// Parse remembers the order of the sections and the bytes of each one.
// AppendBinary writes the sections in that order; a section whose value the
// caller did not change is written with its original bytes, so a profile
// that goes through Parse and AppendBinary unchanged comes out identical, and
// after a change only the changed sections differ. Sections in Other keep
// their place among the known ones. Known sections that the file lacked are
// added before END when they hold something; a Profile made by New writes
// every known section in libtoxcore's order.
//
// # Strictness
//
// The identity sections (NOSPAMKEYS, FRIENDS, NAME, STATUSMESSAGE, STATUS)
// are checked strictly: a bad length or a key pair that does not match is an
// error, never a silently dropped friend. NOSPAMKEYS must be present and no
// known section may appear twice. The routing hints (DHT, TCP_RELAY,
// PATH_NODE) are, as in libtoxcore, only hints: when one does not decode, its
// node list is empty and its bytes are kept as they are.
//
// # Checksum trailer
//
// The format has no checksum, so a flipped bit in a plain profile would go
// unnoticed. When Profile.Checksum is set, AppendBinary writes 48 bytes
// after END: the 16 bytes "Parley-SHA256-v1" and the SHA-256 of everything
// before them. libtoxcore stops reading at END, so it loads such a file (and
// drops the trailer when it saves). Parse verifies the trailer when present;
// any other non-zero byte after END is damage. Save always writes it.
//
// # Encrypted profile (tox-protocol.md §12.2)
//
//	"toxEsave"(8) | salt(32) | nonce(24) | secretbox(key, nonce, plain profile)
//	key = scrypt(SHA256(passphrase), salt, N=16384, r=8, p=2, 32)
//
// Deriving the key costs about 16 MiB and a noticeable fraction of a second;
// a PassKey is derived once and reused for every later save (c-toxcore's
// Tox_Pass_Key). A secretbox that does not open means a wrong passphrase or
// a damaged file: the two cannot be told apart.
//
// # Storage
//
// Save writes through atomicfile (temporary file, fsync, rename, directory
// fsync) after copying the current profile, if it is readable, to
// path+".bak" the same way; so a crash or a bad save leaves the last good
// profile in place. Load never writes. LoadWithBackup reads the backup only
// when the main file fails, and reports both, so that the user decides: it
// never silently replaces the main file, and never picks the backup without
// saying so (a backup may predate a passphrase change or recent edits).
package profile
