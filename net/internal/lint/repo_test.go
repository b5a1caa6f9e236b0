package lint

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// modulePath is the module the rules speak of.
const modulePath = "parley"

// goFile is one parsed source file of the module.
type goFile struct {
	rel     string // slash-separated path from the module root
	pkg     string // import path of its directory
	test    bool   // a _test.go file
	src     []byte
	fset    *token.FileSet
	ast     *ast.File
	imports []string
	err     error // the parse error; such a file is only reported by TestGofmt
}

var (
	repoOnce  sync.Once
	repoFiles []*goFile
	repoRoot  string
	repoErr   error
)

// files returns every .go file of the module (testdata included, nested
// modules and hidden or underscore directories excluded), parsed.
func files(t *testing.T) []*goFile {
	t.Helper()
	repoOnce.Do(func() { repoRoot, repoFiles, repoErr = loadRepo() })
	if repoErr != nil {
		t.Fatalf("loading the repository: %v", repoErr)
	}
	if len(repoFiles) == 0 {
		t.Fatalf("found no .go files under %s", repoRoot)
	}
	return repoFiles
}

// packageFiles returns the files that belong to packages the go tool builds:
// testdata and files constrained by the "ignore" tag are left out.
func packageFiles(t *testing.T) []*goFile {
	return buildable(files(t))
}

func buildable(all []*goFile) []*goFile {
	var out []*goFile
	for _, f := range all {
		if f.err != nil || inTestdata(f.rel) || ignored(f.src) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func loadRepo() (string, []*goFile, error) {
	root, err := findRoot()
	if err != nil {
		return "", nil, err
	}
	var out []*goFile
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		f, err := parseFile(p, filepath.ToSlash(rel))
		if err != nil {
			f = &goFile{rel: filepath.ToSlash(rel), err: err}
		}
		out = append(out, f)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return root, out, err
}

func parseFile(abs, rel string) (*goFile, error) {
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	return parseSource(rel, src)
}

// parseSource parses src as the file at rel (slash-separated, from the
// module root).
func parseSource(rel string, src []byte) (*goFile, error) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(rel)
	pkg := modulePath
	if dir != "." {
		pkg = modulePath + "/" + dir
	}
	f := &goFile{rel: rel, pkg: pkg, test: strings.HasSuffix(rel, "_test.go"), src: src, fset: fset, ast: af}
	for _, imp := range af.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, err
		}
		f.imports = append(f.imports, p)
	}
	return f, nil
}

// findRoot walks up from the working directory to the go.mod of modulePath.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(bytes.TrimSpace(data), []byte("module "+modulePath+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fs.ErrNotExist
		}
		dir = parent
	}
}

func inTestdata(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "testdata" {
			return true
		}
	}
	return false
}

// ignored reports whether the file says //go:build ignore, the convention
// for programs kept beside a package but not part of it.
func ignored(src []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "package ") {
			return false
		}
		if !constraint.IsGoBuild(line) {
			continue
		}
		expr, err := constraint.Parse(line)
		if err != nil {
			return false
		}
		tag, ok := expr.(*constraint.TagExpr)
		return ok && tag.Tag == "ignore"
	}
	return false
}

// matches reports whether importPath is pattern, or lies under it when the
// pattern ends in "/...".
func matches(pattern, importPath string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return importPath == prefix || strings.HasPrefix(importPath, prefix+"/")
	}
	return importPath == pattern
}

func matchesAny(patterns []string, importPath string) bool {
	for _, p := range patterns {
		if matches(p, importPath) {
			return true
		}
	}
	return false
}
