package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"parley/net/atomicfile"
	"parley/net/profile"
)

// errProfileOpen marks every reason the profile given with --profile could
// not be opened (wrong passphrase, damaged file...): exit code 3, and the
// file is left as it was.
var errProfileOpen = errors.New("cannot open the profile")

// profileStore owns the profile file of a headless run: the parsed profile
// (kept whole, so the sections Parley does not use survive every save), the
// key that encrypts it (nil: plain), and its saving. One goroutine, the
// main loop, uses it.
type profileStore struct {
	path string
	key  *profile.PassKey
	prof *profile.Profile
}

// openProfile opens the profile at path, or creates and saves a new one
// (new key pair, random nospam; encrypted when pass is not empty) when
// there is no file. It never writes over a file it could not read.
func openProfile(path, pass string) (st *profileStore, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, berr := os.Stat(path + profile.BackupSuffix); berr == nil {
			return nil, false, fmt.Errorf("%w: %s does not exist but its backup %s does: copy the backup to %s to use it, or remove it to start a new profile",
				errProfileOpen, path, path+profile.BackupSuffix, path)
		}
		st, err := createProfile(path, pass)
		return st, err == nil, err
	case err != nil:
		return nil, false, fmt.Errorf("%w: %w", errProfileOpen, err)
	}
	if !profile.IsEncrypted(data) && pass != "" {
		return nil, false, fmt.Errorf("%w: %s is not encrypted, but a passphrase was given: run without --pass-file and --pass-env, or export an encrypted copy with the export command and use that",
			errProfileOpen, path)
	}
	p, k, err := profile.Decode(data, pass)
	switch {
	case errors.Is(err, profile.ErrEncrypted):
		return nil, false, fmt.Errorf("%w: %s is encrypted: give its passphrase with --pass-file FILE or --pass-env VAR", errProfileOpen, path)
	case err != nil:
		return nil, false, fmt.Errorf("%w: %s: %w%s", errProfileOpen, path, err, backupHint(path))
	}
	return &profileStore{path: path, key: k, prof: p}, false, nil
}

func createProfile(path, pass string) (*profileStore, error) {
	p, err := profile.New(nil)
	if err != nil {
		return nil, err
	}
	st := &profileStore{path: path, prof: p}
	if pass != "" {
		if st.key, err = profile.NewPassKey(pass, nil); err != nil {
			return nil, err
		}
	}
	if err := st.save(); err != nil {
		return nil, fmt.Errorf("creating the profile: %w", err)
	}
	return st, nil
}

// backupHint points at the backup of a profile that did not open.
func backupHint(path string) string {
	if _, err := os.Stat(path + profile.BackupSuffix); err != nil {
		return ""
	}
	return fmt.Sprintf(" (the previous version is in %s: copy it over the profile to use it)", path+profile.BackupSuffix)
}

// save writes the profile atomically, keeping the previous one as backup.
func (s *profileStore) save() error { return profile.SaveWithKey(s.path, s.prof, s.key) }

// encrypted reports whether the profile is saved encrypted.
func (s *profileStore) encrypted() bool { return s.key != nil }

// errExists refuses to export over an existing file without "overwrite".
var errExists = errors.New("the file exists; add \"overwrite\":true to replace it")

// exportProfile writes p to path as a plain .tox savedata (no Parley
// checksum trailer: exactly what libtoxcore writes) or, with pass, as a
// toxencryptsave file with a new salt: the format qTox, toxic and uTox
// import. The file is written atomically, mode 0600. ownPath, the running
// profile, and its backup are never overwritten.
func exportProfile(p *profile.Profile, path, pass string, overwrite bool, ownPath string) error {
	if strings.TrimSpace(path) == "" {
		return errors.New("\"path\" is missing")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	own, err := filepath.Abs(ownPath)
	if err != nil {
		return err
	}
	if abs == own || abs == own+profile.BackupSuffix {
		return fmt.Errorf("%s is the running profile or its backup; export to another file", path)
	}
	if _, err := os.Lstat(path); err == nil && !overwrite {
		return fmt.Errorf("%s: %w", path, errExists)
	}
	q := *p
	q.Checksum = false
	data, err := q.AppendBinary(nil)
	if err != nil {
		return err
	}
	if pass != "" {
		k, err := profile.NewPassKey(pass, nil)
		if err != nil {
			return err
		}
		if data, err = k.Encrypt(data, nil); err != nil {
			return err
		}
	}
	return atomicfile.WriteFile(path, data, 0o600)
}

// readPassphrase returns the passphrase from --pass-file or --pass-env
// ("" when neither is given). A file's single trailing newline is not part
// of the passphrase.
func readPassphrase(file, env string) (string, error) {
	switch {
	case file != "" && env != "":
		return "", errors.New("give the passphrase with --pass-file or --pass-env, not both")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--pass-file: %w", err)
		}
		s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if s == "" {
			return "", fmt.Errorf("--pass-file %s: the file is empty", file)
		}
		return s, nil
	case env != "":
		s, ok := os.LookupEnv(env)
		if !ok {
			return "", fmt.Errorf("--pass-env: the environment variable %s is not set", env)
		}
		if s == "" {
			return "", fmt.Errorf("--pass-env: the environment variable %s is empty", env)
		}
		return s, nil
	}
	return "", nil
}
