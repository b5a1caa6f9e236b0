package profile

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

// toxencryptsave layout and key derivation (tox-protocol.md §12.2,
// c-toxcore toxencryptsave.c and defines.h).
const (
	encMagic = "toxEsave"
	// SaltSize is the scrypt salt stored after the magic.
	SaltSize  = 32
	nonceSize = 24
	// EncryptionOverhead is how much longer an encrypted profile is than
	// the plain one (TOX_PASS_ENCRYPTION_EXTRA_LENGTH).
	EncryptionOverhead = len(encMagic) + SaltSize + nonceSize + secretbox.Overhead // 80

	// scrypt parameters: libsodium's crypto_pwhash_scryptsalsa208sha256 with
	// 2 × OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE, i.e. N=2^14, r=8,
	// p=2 (16 MiB).
	scryptN, scryptR, scryptP = 1 << 14, 8, 2
	keySize                   = 32
)

// IsEncrypted reports whether b starts with the toxencryptsave magic.
func IsEncrypted(b []byte) bool { return bytes.HasPrefix(b, []byte(encMagic)) }

// PassKey is a key derived from a passphrase and a salt (c-toxcore's
// Tox_Pass_Key). Deriving one is slow on purpose; keep it to encrypt every
// later save of the same profile. It is immutable and safe for concurrent
// use.
type PassKey struct {
	salt [SaltSize]byte
	key  [keySize]byte
}

// DeriveKey derives the key for passphrase and salt: scrypt(SHA256(pass),
// salt, N=16384, r=8, p=2, 32). Use Salt to get the salt of a file.
func DeriveKey(passphrase string, salt [SaltSize]byte) (*PassKey, error) {
	h := sha256.Sum256([]byte(passphrase))
	k, err := scrypt.Key(h[:], salt[:], scryptN, scryptR, scryptP, keySize)
	if err != nil {
		return nil, fmt.Errorf("profile: deriving the key: %w", err)
	}
	pk := &PassKey{salt: salt}
	copy(pk.key[:], k)
	return pk, nil
}

// NewPassKey derives a key for passphrase with a new random salt read from
// r (crypto/rand when nil), as tox_pass_key_derive does.
func NewPassKey(passphrase string, r io.Reader) (*PassKey, error) {
	if r == nil {
		r = rand.Reader
	}
	var salt [SaltSize]byte
	if _, err := io.ReadFull(r, salt[:]); err != nil {
		return nil, fmt.Errorf("profile: reading randomness: %w", err)
	}
	return DeriveKey(passphrase, salt)
}

// Salt returns the key's salt.
func (k *PassKey) Salt() [SaltSize]byte { return k.salt }

// Salt returns the salt of an encrypted profile (tox_get_salt).
func Salt(data []byte) ([SaltSize]byte, error) {
	var s [SaltSize]byte
	if err := checkEncrypted(data); err != nil {
		return s, err
	}
	copy(s[:], data[len(encMagic):])
	return s, nil
}

// checkEncrypted checks the magic and the minimal length.
func checkEncrypted(data []byte) error {
	if !IsEncrypted(data) {
		return fmt.Errorf("%w: no %q magic, not an encrypted profile", ErrNotProfile, encMagic)
	}
	if len(data) <= EncryptionOverhead {
		return fmt.Errorf("%w: encrypted profile of %d bytes, at least %d", ErrTruncated, len(data), EncryptionOverhead+1)
	}
	return nil
}

// Encrypt encrypts a plain profile with k, reading the nonce from r
// (crypto/rand when nil): "toxEsave" | salt | nonce | secretbox.
func (k *PassKey) Encrypt(plain []byte, r io.Reader) ([]byte, error) {
	if len(plain) == 0 {
		return nil, fmt.Errorf("%w: nothing to encrypt", ErrInvalid)
	}
	if r == nil {
		r = rand.Reader
	}
	var nonce [nonceSize]byte
	if _, err := io.ReadFull(r, nonce[:]); err != nil {
		return nil, fmt.Errorf("profile: reading randomness: %w", err)
	}
	out := make([]byte, 0, len(plain)+EncryptionOverhead)
	out = append(out, encMagic...)
	out = append(out, k.salt[:]...)
	out = append(out, nonce[:]...)
	return secretbox.Seal(out, plain, &nonce, &k.key), nil
}

// Decrypt opens an encrypted profile with k. A wrong key and a damaged
// file both give ErrWrongPassphrase; so does a file encrypted with another
// salt (re-encrypted elsewhere: derive a key for its salt).
func (k *PassKey) Decrypt(data []byte) ([]byte, error) {
	if err := checkEncrypted(data); err != nil {
		return nil, err
	}
	if !bytes.Equal(data[len(encMagic):len(encMagic)+SaltSize], k.salt[:]) {
		return nil, fmt.Errorf("%w (the file has another salt than the key)", ErrWrongPassphrase)
	}
	return k.open(data)
}

// open decrypts data, already checked, ignoring its salt.
func (k *PassKey) open(data []byte) ([]byte, error) {
	var nonce [nonceSize]byte
	copy(nonce[:], data[len(encMagic)+SaltSize:])
	plain, ok := secretbox.Open(nil, data[len(encMagic)+SaltSize+nonceSize:], &nonce, &k.key)
	if !ok {
		return nil, ErrWrongPassphrase
	}
	return plain, nil
}

// Encrypt encrypts a plain profile with passphrase and a new random salt,
// reading salt then nonce from r (crypto/rand when nil), as
// tox_pass_encrypt does. It derives a key each time; see PassKey.
func Encrypt(plain []byte, passphrase string, r io.Reader) ([]byte, error) {
	if r == nil {
		r = rand.Reader
	}
	k, err := NewPassKey(passphrase, r)
	if err != nil {
		return nil, err
	}
	return k.Encrypt(plain, r)
}

// Decrypt opens an encrypted profile with passphrase (tox_pass_decrypt).
func Decrypt(data []byte, passphrase string) ([]byte, error) {
	plain, _, err := decryptKey(data, passphrase)
	return plain, err
}

// decryptKey is Decrypt also returning the key it derived.
func decryptKey(data []byte, passphrase string) ([]byte, *PassKey, error) {
	salt, err := Salt(data)
	if err != nil {
		return nil, nil, err
	}
	k, err := DeriveKey(passphrase, salt)
	if err != nil {
		return nil, nil, err
	}
	plain, err := k.open(data)
	if err != nil {
		return nil, nil, err
	}
	return plain, k, nil
}
