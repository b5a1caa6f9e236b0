package settings

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"parley/net/nodes"
)

func TestDefaultsWhenMissing(t *testing.T) {
	s, err := Load(t.TempDir())
	if err != nil || !reflect.DeepEqual(s, Default()) {
		t.Fatalf("Load(empty dir) = %+v, %v; want the defaults", s, err)
	}
	if !s.Network.UDP || !s.Privacy.Receipts || !s.Privacy.TypingNotifications || s.Theme != ThemeSystem {
		t.Errorf("defaults = %+v", s)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	s := Default()
	s.Network.IPv6, s.Network.LANDiscovery = false, false
	s.Network.Bootstrap = []string{"127.0.0.1:33445:" + "F404ABAA1C99A9D37D61AB54898F56793E1DEF8BD46B1038B9D822E8460FAB67"}
	s.Privacy.TypingNotifications = false
	s.Theme = ThemeDark
	s.Audio.Input = "mic"
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, s)
	}
	es, err := got.Network.Nodes()
	if err != nil || len(es) != 1 || es[0].Port != 33445 || es[0].IPv4 != "127.0.0.1" {
		t.Fatalf("Nodes = %+v, %v", es, err)
	}
}

func TestOldFileKeepsNewDefaults(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(Path(dir), []byte(`{"privacy":{"typing_notifications":false}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Privacy.TypingNotifications || !s.Network.UDP || s.Theme != ThemeSystem {
		t.Errorf("Load(old file) = %+v", s)
	}
}

func TestBadValues(t *testing.T) {
	dir := t.TempDir()
	s := Default()
	s.Network.Bootstrap = []string{"not a node"}
	if err := Save(dir, s); !errors.Is(err, nodes.ErrBadEntry) {
		t.Errorf("Save(bad node) = %v, want ErrBadEntry", err)
	}
	s = Default()
	s.Theme = "pink"
	if err := Save(dir, s); !errors.Is(err, ErrBadTheme) {
		t.Errorf("Save(bad theme) = %v, want ErrBadTheme", err)
	}
	if err := os.WriteFile(Path(dir), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err == nil || !reflect.DeepEqual(got, Default()) {
		t.Errorf("Load(corrupt) = %+v, %v; want the defaults and an error", got, err)
	}
}
