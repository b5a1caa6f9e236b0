// Package account owns the user's profiles on disk: the directory
// os.UserConfigDir()/parley holding <name>.tox (the Tox savedata, plain or
// passphrase-encrypted, written by parley/net/profile with a backup) and
// <name>.db (the chat history, parley/app/store) for each profile.
//
// An Account is safe for concurrent use: its methods lock.
package account

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"parley/net/profile"
)

// Errors shown to the user on the first-run screen.
var (
	ErrNoName     = errors.New("choose a profile name")
	ErrBadName    = errors.New("a profile name cannot contain / \\ or start with a dot")
	ErrExists     = errors.New("a profile with that name already exists")
	ErrNoProfile  = errors.New("no profile with that name")
	ErrPassMatch  = errors.New("the two passphrases differ")
	ErrNameTooBig = fmt.Errorf("a profile name is at most %d bytes", profile.MaxNameLength)
)

// Ext is the extension of a profile file.
const Ext = ".tox"

// Dir returns Parley's configuration directory, os.UserConfigDir()/parley.
func Dir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "parley"), nil
}

// Entry is one profile found in a directory.
type Entry struct {
	Name      string
	Path      string
	Encrypted bool
}

// List returns the profiles in dir, by name. A missing dir has none.
func List(dir string) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, de := range des {
		n := de.Name()
		if de.IsDir() || !strings.HasSuffix(n, Ext) {
			continue
		}
		p := filepath.Join(dir, n)
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		out = append(out, Entry{Name: strings.TrimSuffix(n, Ext), Path: p, Encrypted: profile.IsEncrypted(data)})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Account is an open profile.
type Account struct {
	Name string
	Dir  string

	mu   sync.Mutex
	prof *profile.Profile
	key  *profile.PassKey // nil: stored plain
}

func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return ErrNoName
	case strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, "."):
		return ErrBadName
	case len(name) > profile.MaxNameLength:
		return ErrNameTooBig
	}
	return nil
}

// Create makes a new identity named name in dir (created if needed), saved
// encrypted with pass unless pass is empty. The profile's Tox name is name.
func Create(dir, name, pass string) (*Account, error) {
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	a := &Account{Name: name, Dir: dir}
	if _, err := os.Lstat(a.Path()); err == nil {
		return nil, ErrExists
	}
	p, err := profile.New(nil)
	if err != nil {
		return nil, err
	}
	p.Name = name
	a.prof = p
	if pass != "" {
		if a.key, err = profile.NewPassKey(pass, nil); err != nil {
			return nil, err
		}
	}
	if err := a.Save(); err != nil {
		return nil, fmt.Errorf("creating the profile: %w", err)
	}
	return a, nil
}

// Open opens the profile name in dir with pass ("" for a plain profile).
// Errors wrap profile.ErrEncrypted (a passphrase is needed),
// profile.ErrWrongPassphrase and the other profile errors.
func Open(dir, name, pass string) (*Account, error) {
	a := &Account{Name: name, Dir: dir}
	data, err := os.ReadFile(a.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoProfile
	}
	if err != nil {
		return nil, err
	}
	p, k, err := profile.Decode(data, pass)
	if err != nil {
		return nil, err
	}
	a.prof, a.key = p, k
	return a, nil
}

// Path is the profile file.
func (a *Account) Path() string { return filepath.Join(a.Dir, a.Name+Ext) }

// HistoryPath is the chat history database of the profile.
func (a *Account) HistoryPath() string { return filepath.Join(a.Dir, a.Name+".db") }

// PeerCachePath is where the node remembers how it last reached each friend.
func (a *Account) PeerCachePath() string { return filepath.Join(a.Dir, a.Name+".peers") }

// NodesCachePath is the cache of last-good DHT nodes, shared by profiles.
func (a *Account) NodesCachePath() string { return filepath.Join(a.Dir, "nodes.json") }

// Encrypted reports whether the profile is saved with a passphrase.
func (a *Account) Encrypted() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.key != nil
}

// Profile returns a copy of the profile (its slices are shared: read only).
func (a *Account) Profile() profile.Profile {
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a.prof
}

// Update changes the profile with fn and saves it.
func (a *Account) Update(fn func(p *profile.Profile)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	fn(a.prof)
	return profile.SaveWithKey(a.Path(), a.prof, a.key)
}

// Save writes the profile atomically, keeping the previous one as backup.
func (a *Account) Save() error { return a.Update(func(*profile.Profile) {}) }

// Import copies the .tox profile at src (from qTox, toxic, uTox or
// Parley) into dir as profile name ("" is the file's base name), keeping
// its passphrase encryption, and opens it. pass decrypts an encrypted
// file; errors wrap profile.ErrEncrypted and profile.ErrWrongPassphrase.
func Import(dir, src, name, pass string) (*Account, error) {
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	}
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("importing %s: %w", src, err)
	}
	p, k, err := profile.Decode(data, pass)
	if err != nil {
		return nil, fmt.Errorf("importing %s: %w", filepath.Base(src), err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	a := &Account{Name: name, Dir: dir, prof: p, key: k}
	if _, err := os.Lstat(a.Path()); err == nil {
		return nil, ErrExists
	}
	if err := a.Save(); err != nil {
		return nil, fmt.Errorf("importing %s: %w", filepath.Base(src), err)
	}
	return a, nil
}
