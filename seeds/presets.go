// Package seeds holds segsim's presets (segment schemes, tags, tier and
// scenario presets) as embedded JSON, so every host reads the same files.
// Sample datasets live in seeds/samples and the generator in seeds/gen.
package seeds

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed presets/*.json
var presets embed.FS

//go:embed lessons/*.json
var lessons embed.FS

// Lessons returns the built-in lessons' JSON files, in their order (the
// file names start with the lesson's number).
func Lessons() ([][]byte, error) {
	entries, err := fs.ReadDir(lessons, "lessons")
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, e := range entries {
		b, err := lessons.ReadFile(path.Join("lessons", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Preset returns the JSON text of a preset, e.g. Preset("schemes", "rfm11").
func Preset(kind, name string) ([]byte, error) {
	b, err := presets.ReadFile(path.Join("presets", kind+"."+name+".json"))
	if err != nil {
		return nil, fmt.Errorf("no %s preset named %q (have: %s)", kind, name, strings.Join(Names(kind), ", "))
	}
	return b, nil
}

// Names lists the presets of a kind: schemes, tags, tiers or scenarios.
func Names(kind string) []string {
	entries, _ := fs.ReadDir(presets, "presets")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutPrefix(e.Name(), kind+"."); ok {
			out = append(out, strings.TrimSuffix(n, ".json"))
		}
	}
	slices.Sort(out)
	return out
}
