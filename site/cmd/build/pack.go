package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// compressible are the extensions worth sending compressed.
var compressible = []string{".wasm", ".js", ".css", ".json", ".html", ".csv", ".svg", ".webmanifest"}

// pack finishes a built site once its wasm programs are in it: it writes
// the service worker with the list of the site's files and a version that
// changes with any of them, a .gz and a .br beside every compressible file
// (the server sends them to browsers that take them), and embed.go, which
// lets `go build -tags embed ./site/cmd/serve` carry the whole site in
// one program.
func pack(out string, brotliLevel int) error {
	var files []string
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, out+string(filepath.Separator)))
		switch {
		case strings.HasSuffix(rel, ".gz"), strings.HasSuffix(rel, ".br"), rel == "sw.js", rel == "embed.go":
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
		if slices.Contains(compressible, path.Ext(f)) && len(b) > 1024 {
			if err := compress(filepath.Join(out, filepath.FromSlash(f)), b, brotliLevel); err != nil {
				return err
			}
		}
	}
	version := hex.EncodeToString(h.Sum(nil))[:12]
	// The .xlsx and Parquet readers are kept when a file first needs
	// them, not on the first visit (see sw.js).
	files = slices.DeleteFunc(files, func(f string) bool { return f == "xlsx.wasm" || f == "parquet.wasm" })
	tmpl, err := os.ReadFile(filepath.Join(out, "sw.js"))
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	list, err := json.Marshal(files)
	if err != nil {
		return err
	}
	sw := strings.Replace(strings.Replace(string(tmpl), "__VERSION__", version, 1), "__FILES__", string(list), 1)
	if sw == string(tmpl) {
		return fmt.Errorf("pack: sw.js has no __VERSION__ and __FILES__ to fill (already packed?)")
	}
	if err := os.WriteFile(filepath.Join(out, "sw.js"), []byte(sw), 0o644); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	if err := compress(filepath.Join(out, "sw.js"), []byte(sw), brotliLevel); err != nil {
		return err
	}
	embed := "//go:build embed\n\n// Package dist is the built site, embedded by `go build -tags embed`\n" +
		"// (written by site/cmd/build; not in the repository).\npackage dist\n\nimport \"embed\"\n\n" +
		"// FS holds the site's files.\n//\n//go:embed *\nvar FS embed.FS\n\n// Version is the service worker's version of these files.\nconst Version = \"" + version + "\"\n"
	if err := os.WriteFile(filepath.Join(out, "embed.go"), []byte(embed), 0o644); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	fmt.Printf("  site version %s: %d files\n", version, len(files))
	return nil
}

// compress writes name.gz and name.br.
func compress(name string, b []byte, brotliLevel int) error {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip %s: %w", name, err)
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliLevel)
	bw.Write(b)
	if err := bw.Close(); err != nil {
		return fmt.Errorf("brotli %s: %w", name, err)
	}
	if err := os.WriteFile(name+".gz", gz.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(name+".br", br.Bytes(), 0o644)
}

// writeIcons draws the install icons (the bars of icon.svg) as PNG.
func writeIcons(out string) error {
	for _, size := range []int{192, 512} {
		img := image.NewRGBA(image.Rect(0, 0, size, size))
		u := float64(size) / 64
		fill := func(x0, y0, x1, y1 float64, c color.RGBA) {
			for y := int(y0 * u); y < int(y1*u); y++ {
				for x := int(x0 * u); x < int(x1*u); x++ {
					img.SetRGBA(x, y, c)
				}
			}
		}
		fill(0, 0, 64, 64, color.RGBA{0x2f, 0x6f, 0xd6, 0xff})
		fill(12, 34, 21, 52, color.RGBA{0xd5, 0xe2, 0xf7, 0xff})
		fill(27, 24, 36, 52, color.RGBA{0xea, 0xf1, 0xfb, 0xff})
		fill(42, 12, 51, 52, color.RGBA{0xf6, 0xbd, 0x16, 0xff})
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("icon-%d.png", size)), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("icon: %w", err)
		}
	}
	return nil
}
