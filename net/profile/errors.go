package profile

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error of this package wraps one of them; test with
// errors.Is. The messages are written to be shown to a user.
var (
	// ErrNotProfile: the data does not start like a Tox profile, plain or
	// encrypted.
	ErrNotProfile = errors.New("profile: not a Tox profile")
	// ErrTruncated: the file ends before its END section (or inside its
	// encryption header or checksum trailer).
	ErrTruncated = errors.New("profile: the file is cut short")
	// ErrCorrupt: the bytes do not make a valid profile; the FormatError
	// names the section and offset.
	ErrCorrupt = errors.New("profile: the file is damaged")
	// ErrEncrypted: the profile is encrypted and no passphrase was given.
	ErrEncrypted = errors.New("profile: the profile is encrypted; a passphrase is needed")
	// ErrWrongPassphrase: the encrypted profile did not open. A damaged
	// encrypted file looks exactly the same.
	ErrWrongPassphrase = errors.New("profile: wrong passphrase or damaged file")
	// ErrKeyMismatch: the saved public key is not the one of the saved
	// secret key.
	ErrKeyMismatch = errors.New("profile: the public key does not match the secret key")
	// ErrInvalid: AppendBinary was given a value the format cannot hold
	// (a name over 128 bytes, a node without an address...).
	ErrInvalid = errors.New("profile: value cannot be saved")
)

// FormatError locates a problem in a plain profile. Err is ErrCorrupt,
// ErrTruncated or ErrKeyMismatch.
type FormatError struct {
	Section SectionType // the section the problem is in; 0 outside sections
	Offset  int         // byte offset from the start of the plain profile
	Reason  string
	Err     error
}

func (e *FormatError) Error() string {
	where := "file header"
	if e.Section != 0 {
		where = e.Section.String() + " section"
	}
	return fmt.Sprintf("%v: %s at offset %d: %s", e.Err, where, e.Offset, e.Reason)
}

func (e *FormatError) Unwrap() error { return e.Err }

// corrupt and truncated build FormatErrors.
func corrupt(s SectionType, off int, format string, args ...any) error {
	return &FormatError{Section: s, Offset: off, Reason: fmt.Sprintf(format, args...), Err: ErrCorrupt}
}

func truncated(s SectionType, off int, format string, args ...any) error {
	return &FormatError{Section: s, Offset: off, Reason: fmt.Sprintf(format, args...), Err: ErrTruncated}
}

// invalid reports a value AppendBinary cannot write.
func invalid(s SectionType, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalid, s, fmt.Sprintf(format, args...))
}
