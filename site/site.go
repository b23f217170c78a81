// Package site holds the segsim page: templ components, the static glue
// (JavaScript, CSS) and the interface strings in English and Chinese. The
// build program in site/cmd/build renders them into a static folder.
package site

import (
	"embed"
	"sort"
)

// Static holds the page's JavaScript and CSS, copied into the site as is.
//
//go:embed static
var Static embed.FS

// Lang is an interface language.
type Lang int

// The interface languages.
const (
	English Lang = iota
	Chinese
)

// T returns the English text of an interface string; the page's script
// swaps in the Chinese text when the user switches language.
func T(key string) string {
	if m, ok := Messages[key]; ok {
		return m[English]
	}
	return key
}

// Keys returns the message keys in order.
func Keys() []string {
	keys := make([]string, 0, len(Messages))
	for k := range Messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Dictionary returns the strings of one language by key, as the page's
// script reads them.
func Dictionary(l Lang) map[string]string {
	out := make(map[string]string, len(Messages))
	for k, m := range Messages {
		out[k] = m[l]
	}
	return out
}

// Sample is a bundled dataset as the page lists it.
type Sample struct {
	File        string `json:"file"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// PageData is what the page template needs.
type PageData struct {
	Samples []Sample
	CSP     string
}

// CSP is the page's Content-Security-Policy: everything from the site's
// own origin, WebAssembly compilation allowed, no inline script or style.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'"
