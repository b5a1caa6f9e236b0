package toxtest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissingToolsFail checks that a machine without the tools fails the
// test, naming the Debian package, rather than skipping. It reruns this
// test binary with the tools hidden.
func TestMissingToolsFail(t *testing.T) {
	if what := os.Getenv("TOXTEST_MISSING_CHILD"); what != "" {
		switch what {
		case "build":
			BuildC(t, "toxversion", "testdata/toxversion.c")
		case "bootstrapd":
			StartBootstrapd(t)
		}
		return // not reached when the kit fails as it should
	}
	t.Parallel()
	for _, tc := range []struct {
		what, env, want string
	}{
		{"build", "PATH=/nonexistent", "apt-get install gcc"},
		{"build", "PKG_CONFIG_LIBDIR=/nonexistent", "apt-get install libtoxcore-dev"},
		{"bootstrapd", "PATH=/nonexistent", "apt-get install toxcore-utils"},
	} {
		what, want := tc.what, tc.want
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingToolsFail$", "-test.v")
		cmd.Env = append(os.Environ(), tc.env, "TOXTEST_MISSING_CHILD="+what)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Errorf("%s without tools: %v, want a failing test\n%s", what, err, out)
		}
		if !strings.Contains(string(out), want) || !strings.Contains(string(out), "--- FAIL") {
			t.Errorf("%s without tools: output lacks %q or a FAIL:\n%s", what, want, out)
		}
		if strings.Contains(string(out), "SKIP") {
			t.Errorf("%s without tools skipped:\n%s", what, out)
		}
	}
}
