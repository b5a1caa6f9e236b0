package profile

import (
	"bytes"
	"crypto/sha256"
)

// The checksum trailer Parley writes after END (see the package doc):
// magic | SHA-256 of every byte before the magic.
const (
	checksumMagic = "Parley-SHA256-v1"
	checksumSize  = len(checksumMagic) + sha256.Size // 48
)

// checksumTrailer returns the trailer for the plain profile b, which ends
// with END.
func checksumTrailer(b []byte) []byte {
	sum := sha256.Sum256(b)
	return append([]byte(checksumMagic), sum[:]...)
}

// parseTail checks what follows END in b (end is the offset after END):
// nothing, zero padding (returned as its length), or a checksum trailer
// that matches. Anything else is damage.
func parseTail(b []byte, end int) (pad int, checksum bool, err error) {
	tail := b[end:]
	switch {
	case len(tail) == 0:
		return 0, false, nil
	case isZero(tail):
		return len(tail), false, nil
	}
	n := min(len(tail), len(checksumMagic))
	if !bytes.Equal(tail[:n], []byte(checksumMagic[:n])) {
		return 0, false, corrupt(0, end, "%d bytes after END that are neither zero padding nor a Parley checksum", len(tail))
	}
	if len(tail) < checksumSize {
		return 0, false, truncated(0, end, "checksum trailer of %d bytes, want %d", len(tail), checksumSize)
	}
	if len(tail) > checksumSize {
		return 0, false, corrupt(0, end+checksumSize, "%d bytes after the checksum trailer", len(tail)-checksumSize)
	}
	sum := sha256.Sum256(b[:end])
	if !bytes.Equal(tail[len(checksumMagic):], sum[:]) {
		return 0, false, corrupt(0, end, "checksum mismatch: the file was changed or damaged after Parley wrote it")
	}
	return 0, true, nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
