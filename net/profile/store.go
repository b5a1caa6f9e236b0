package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"parley/net/atomicfile"
)

// BackupSuffix names the backup of a profile: path + BackupSuffix.
const BackupSuffix = ".bak"

// fileMode keeps the secret key to its owner.
const fileMode fs.FileMode = 0o600

// Decode reads a profile, plain or encrypted: an encrypted one is opened
// with passphrase (ErrEncrypted when it is empty). It also returns the key
// it derived, to reuse with SaveWithKey; nil for a plain profile.
func Decode(data []byte, passphrase string) (*Profile, *PassKey, error) {
	if !IsEncrypted(data) {
		p, err := Parse(data)
		return p, nil, err
	}
	if passphrase == "" {
		return nil, nil, ErrEncrypted
	}
	plain, k, err := decryptKey(data, passphrase)
	if err != nil {
		return nil, nil, err
	}
	p, err := Parse(plain)
	if err != nil {
		return nil, nil, fmt.Errorf("inside the encryption: %w", err)
	}
	return p, k, nil
}

// DecodeWithKey is Decode with a key already derived; k may be nil for a
// plain profile.
func DecodeWithKey(data []byte, k *PassKey) (*Profile, error) {
	if !IsEncrypted(data) {
		return Parse(data)
	}
	if k == nil {
		return nil, ErrEncrypted
	}
	plain, err := k.Decrypt(data)
	if err != nil {
		return nil, err
	}
	p, err := Parse(plain)
	if err != nil {
		return nil, fmt.Errorf("inside the encryption: %w", err)
	}
	return p, nil
}

// Load reads the profile at path, decrypting it with passphrase when it is
// encrypted. It never writes. Errors wrap the sentinels of this package or
// the fs error (fs.ErrNotExist when there is no profile).
func Load(path, passphrase string) (*Profile, error) {
	p, _, err := load(path, passphrase)
	return p, err
}

// LoadWithKey is Load with a key already derived (nil: plain only).
func LoadWithKey(path string, k *PassKey) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := DecodeWithKey(data, k)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func load(path, passphrase string) (*Profile, *PassKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("profile: %w", err)
	}
	p, k, err := Decode(data, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, k, nil
}

// Loaded is what LoadWithBackup found.
type Loaded struct {
	Profile *Profile
	Key     *PassKey // the key that opened it, for SaveWithKey; nil if plain
	Path    string   // the file read: the profile, or its backup
	// MainErr is set when Path is the backup: why the profile itself could
	// not be used. Show it and let the user choose.
	MainErr error
}

// Backup reports whether the profile came from the backup file.
func (l Loaded) Backup() bool { return l.MainErr != nil }

// LoadWithBackup loads the profile at path; if that fails, it tries the
// backup (path + BackupSuffix) with the same passphrase. It never writes.
//
// The policy: the backup is only an offer. When it is used, MainErr says
// why the profile was not, and the caller must tell the user before going
// on, because the backup may be older than the latest changes or predate a
// passphrase change (so an old passphrase may open it). Saving afterwards
// keeps the backup: Save never copies an unreadable profile over it. When
// neither file loads, the error is the profile's, which wraps fs.ErrNotExist
// only when the profile itself is missing. An encrypted profile loaded
// without a passphrase gives ErrEncrypted and no offer.
func LoadWithBackup(path, passphrase string) (Loaded, error) {
	p, k, err := load(path, passphrase)
	if err == nil {
		return Loaded{Profile: p, Key: k, Path: path}, nil
	}
	if errors.Is(err, ErrEncrypted) {
		return Loaded{}, err // ask for the passphrase, do not offer a backup
	}
	bak := path + BackupSuffix
	bp, bk, berr := load(bak, passphrase)
	if berr != nil {
		if errors.Is(berr, fs.ErrNotExist) {
			return Loaded{}, err
		}
		return Loaded{}, fmt.Errorf("%w (the backup failed too: %v)", err, berr)
	}
	return Loaded{Profile: bp, Key: bk, Path: bak, MainErr: err}, nil
}

// Save writes p to path, encrypted with passphrase unless it is empty,
// with the checksum trailer; see SaveWithKey. It derives a new key (and
// salt) each time, which is slow: keep a PassKey and use SaveWithKey.
func Save(path string, p *Profile, passphrase string) error {
	var k *PassKey
	if passphrase != "" {
		var err error
		if k, err = NewPassKey(passphrase, nil); err != nil {
			return err
		}
	}
	return SaveWithKey(path, p, k)
}

// SaveWithKey writes p to path, encrypted with k (plain when k is nil).
// The file is replaced atomically (temporary file, fsync, rename, directory
// fsync), mode 0600. Before that, the current file at path is copied
// atomically to path + BackupSuffix if it is a readable profile: a plain
// one that parses, or an encrypted one that k opens, or one encrypted with
// another salt, which k cannot check and which is kept as is. An unreadable
// file is never copied, so the backup keeps the last good profile. Nothing
// is written when p cannot be encoded. Calls for the same path must not
// overlap: one goroutine owns a profile's saving.
func SaveWithKey(path string, p *Profile, k *PassKey) error {
	q := *p
	q.Checksum = true
	data, err := q.AppendBinary(nil)
	if err != nil {
		return err
	}
	if k != nil {
		if data, err = k.Encrypt(data, nil); err != nil {
			return err
		}
	}
	if err := backup(path, k); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, data, fileMode); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}

// backup copies the profile at path to its backup if it is readable.
func backup(path string, k *PassKey) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("profile: reading the current profile to back it up: %w", err)
	}
	if !readable(old, k) {
		return nil
	}
	if err := atomicfile.WriteFile(path+BackupSuffix, old, fileMode); err != nil {
		return fmt.Errorf("profile: backup: %w", err)
	}
	return nil
}

// readable reports whether data is worth keeping as the backup.
func readable(data []byte, k *PassKey) bool {
	if !IsEncrypted(data) {
		_, err := Parse(data)
		return err == nil
	}
	salt, err := Salt(data)
	if err != nil {
		return false
	}
	if k == nil || salt != k.salt {
		return true // cannot look inside; an encrypted file is kept as is
	}
	_, err = DecodeWithKey(data, k)
	return err == nil
}
