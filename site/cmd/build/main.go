// Command build renders the segsim page into a static folder that any
// static host can serve as is: index.html from the templ components, the
// script and style files, the Go wasm support script, the charting
// library, the bundled samples and presets, and the interface strings.
// The wasm binary itself is compiled into the same folder by the Makefile,
// and then -pack finishes the folder (service worker, compressed copies).
//
//	go run ./site/cmd/build -out site/dist
//	go run ./site/cmd/build -pack -out site/dist
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/tier"
	"segsim/seeds"
	"segsim/seeds/samples"
	"segsim/site"
)

func main() {
	out := flag.String("out", "site/dist", "output `folder`")
	modules := flag.String("node-modules", "site/node_modules", "npm packages `folder` (for the charting library)")
	finish := flag.Bool("pack", false, "finish a built folder whose wasm is in place: the service worker's file list and version, .gz and .br files, embed.go")
	level := flag.Int("brotli", 9, "brotli `level` of the .br files (11 is smallest and slowest)")
	flag.Parse()
	if *finish {
		if err := pack(*out, *level); err != nil {
			fmt.Fprintf(os.Stderr, "build: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if err := build(*out, *modules); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n", err)
		os.Exit(1)
	}
}

func build(out, modules string) error {
	if err := os.MkdirAll(filepath.Join(out, "samples"), 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	var list []site.Sample
	for _, s := range samples.List() {
		b, err := samples.FS.ReadFile(s.Name)
		if err != nil {
			return fmt.Errorf("sample %s: %w", s.Name, err)
		}
		if err := os.WriteFile(filepath.Join(out, "samples", s.Name), b, 0o644); err != nil {
			return fmt.Errorf("sample %s: %w", s.Name, err)
		}
		list = append(list, site.Sample{File: s.Name, Title: title(s), Description: s.Description, Playbook: s.Playbook})
	}
	f, err := os.Create(filepath.Join(out, "index.html"))
	if err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	if err := site.Page(site.PageData{Samples: list, CSP: site.CSP}).Render(context.Background(), f); err != nil {
		f.Close()
		return fmt.Errorf("render index.html: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	// The static files keep their folders: the page's script modules are
	// under js/.
	err = fs.WalkDir(site.Static, "static", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		to := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(p, "static")))
		if e.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := site.Static.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("static files: %w", err)
	}
	if err := writeIcons(out); err != nil {
		return err
	}
	if err := writeLessons(filepath.Join(out, "lessons.json")); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "samples.json"), list); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "i18n.json"), map[string]map[string]string{
		"en": site.Dictionary(site.English), "zh": site.Dictionary(site.Chinese),
	}); err != nil {
		return err
	}
	// The page's labels come from the schemes and tags; its playbook
	// editor starts from the playbook presets.
	presets := map[string]json.RawMessage{}
	kinds := [][2]string{{"schemes", "rfm8"}, {"schemes", "rfm11"}, {"tags", "default"}, {"tiers", "customer_pyramid"}, {"tiers", "revenue_pyramid"}, {"labels", "actions"}}
	for _, name := range seeds.Names("playbooks") {
		kinds = append(kinds, [2]string{"playbooks", name})
	}
	for _, p := range kinds {
		b, err := seeds.Preset(p[0], p[1])
		if err != nil {
			return err
		}
		presets[p[0]+"."+p[1]] = b
	}
	// The core's names of tiers, stages and classes, in their order.
	vocab, err := json.Marshal(map[string]any{"tiers": tier.Names, "stages": lifecycle.Names, "classes": rfm.ClassNames, "max_levels": rfm.MaxLevels})
	if err != nil {
		return err
	}
	presets["vocabulary"] = vocab
	if err := writeJSON(filepath.Join(out, "presets.json"), presets); err != nil {
		return err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	if err := copyFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), filepath.Join(out, "wasm_exec.js")); err != nil {
		return err
	}
	return copyFile(filepath.Join(modules, "echarts", "dist", "echarts.min.js"), filepath.Join(out, "echarts.min.js"))
}

// writeLessons writes the built-in lessons as one JSON array.
func writeLessons(path string) error {
	files, err := seeds.Lessons()
	if err != nil {
		return fmt.Errorf("lessons: %w", err)
	}
	list := make([]json.RawMessage, len(files))
	for i, b := range files {
		list[i] = b
	}
	return writeJSON(path, list)
}

// title is the button text of a sample: industry and header language.
func title(s samples.Sample) string {
	name := strings.ToUpper(s.Industry[:1]) + s.Industry[1:]
	if s.Industry == "music" {
		name = "CDNOW"
	}
	if s.Language == "zh" {
		name += " 中文"
	}
	return name
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("copy %s: %w (run npm ci in site/ for the charting library)", filepath.Base(from), err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		return fmt.Errorf("copy %s: %w", filepath.Base(from), err)
	}
	return nil
}
