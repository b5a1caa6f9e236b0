// Package settings owns the app's persisted preferences: network (UDP,
// IPv6, LAN discovery, extra bootstrap nodes), privacy (typing
// notifications, delivery receipts), appearance (theme) and the audio
// section that voice calls will fill. They live in settings.json in the
// profiles directory (app/account.Dir) and are shared by the profiles.
//
// The file is JSON, written atomically; a missing file or missing fields
// take the defaults, so older files keep working as fields are added.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"parley/net/atomicfile"
	"parley/net/nodes"
)

// FileName is the settings file in the profiles directory.
const FileName = "settings.json"

// Theme choices.
const (
	ThemeSystem = "system" // follow the desktop's light/dark preference
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Network settings take effect when a profile's node starts.
type Network struct {
	// UDP: talk to the DHT and friends directly over UDP. Off asks for
	// TCP relays only.
	UDP bool `json:"udp"`
	// IPv6: bind a dual-stack socket.
	IPv6 bool `json:"ipv6"`
	// LANDiscovery: find friends on the local network by broadcast.
	LANDiscovery bool `json:"lan_discovery"`
	// Bootstrap nodes added to the bundled list, each HOST:PORT:KEY
	// (nodes.ParseArg).
	Bootstrap []string `json:"bootstrap,omitempty"`
}

// Privacy settings take effect at once.
type Privacy struct {
	// TypingNotifications: tell friends when we are typing.
	TypingNotifications bool `json:"typing_notifications"`
	// Receipts: show delivery receipts (queued, sent, delivered) on our
	// messages.
	Receipts bool `json:"receipts"`
}

// Audio is the section voice calls will fill; empty device names mean the
// system default.
type Audio struct {
	Input  string `json:"input,omitempty"`
	Output string `json:"output,omitempty"`
}

// Settings are all the preferences.
type Settings struct {
	Network Network `json:"network"`
	Privacy Privacy `json:"privacy"`
	Audio   Audio   `json:"audio"`
	// Theme is ThemeSystem, ThemeLight or ThemeDark.
	Theme string `json:"theme"`
	// Notifications: desktop notifications for messages and requests
	// while the window is not focused.
	Notifications bool `json:"notifications"`
}

// Default returns the settings of a fresh install.
func Default() Settings {
	return Settings{
		Network:       Network{UDP: true, IPv6: true, LANDiscovery: true},
		Privacy:       Privacy{TypingNotifications: true, Receipts: true},
		Theme:         ThemeSystem,
		Notifications: true,
	}
}

// ErrBadTheme is returned by Check for an unknown theme.
var ErrBadTheme = errors.New("settings: theme must be system, light or dark")

// Check validates the settings; its errors name the bad field. Bootstrap
// errors wrap nodes.ErrBadEntry.
func (s Settings) Check() error {
	switch s.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		return fmt.Errorf("%w: %q", ErrBadTheme, s.Theme)
	}
	_, err := s.Network.Nodes()
	return err
}

// Nodes parses the extra bootstrap nodes.
func (n Network) Nodes() ([]nodes.Entry, error) {
	var out []nodes.Entry
	for _, line := range n.Bootstrap {
		if strings.TrimSpace(line) == "" {
			continue
		}
		e, err := nodes.ParseArg(strings.TrimSpace(line))
		if err != nil {
			return nil, fmt.Errorf("bootstrap node: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Path is the settings file in dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// Load reads the settings in dir. A missing file gives the defaults; a
// corrupt one gives the defaults and an error naming the file.
func Load(dir string) (Settings, error) {
	s := Default()
	b, err := os.ReadFile(Path(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return Default(), fmt.Errorf("settings %s: %w", Path(dir), err)
	}
	if s.Check() != nil && s.Theme != ThemeLight && s.Theme != ThemeDark {
		s.Theme = ThemeSystem
	}
	return s, nil
}

// Save checks s and writes it atomically into dir (created if needed).
func Save(dir string, s Settings) error {
	if err := s.Check(); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	return atomicfile.WriteFile(Path(dir), append(b, '\n'), 0o600)
}
