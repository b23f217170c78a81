// Package site holds the segsim page: templ components, the static glue
// (JavaScript, CSS) and the interface strings in English and Chinese. The
// build program in site/cmd/build renders them into a static folder.
package site

import (
	"embed"
	"path"
	"sort"
	"strings"

	"segsim/core/ingest"
)

// Static holds the page's JavaScript and CSS, copied into the site as is.
//
//go:embed static
var Static embed.FS

// FileAccept is the file picker's accept list: the text formats the core
// reads and .xlsx workbooks (read by the on-demand xlsx wasm).
const FileAccept = ".csv,.tsv,.txt,.json,.ndjson,.xlsx,text/csv,text/tab-separated-values,application/json," +
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Encodings are the text encodings the mapping panel offers besides auto.
var Encodings = ingest.Encodings()

// EncodingLabel is an encoding's name as the page shows it (UTF-8,
// GB18030…).
func EncodingLabel(e string) string {
	if e == ingest.EncCP1252 {
		return "Windows-1252"
	}
	return strings.ToUpper(e)
}

// DateFormats are the date formats the mapping panel offers.
var DateFormats = []string{"auto", "ymd", "mdy", "dmy", "unix", "unixms", "excel"}

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
	out := make(map[string]string, len(Messages)+len(ingest.Platforms))
	for k, m := range Messages {
		out[k] = m[l]
	}
	// The shop back-ends the core recognises, by Report.Platform.
	for _, p := range ingest.Platforms {
		name := p.Name
		if l == Chinese {
			name = p.ZH
		}
		out["platform_"+p.Key] = name
	}
	return out
}

// Sample is a bundled dataset as the page lists it.
type Sample struct {
	File        string `json:"file"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Playbook is the preset for the sample's industry.
	Playbook string `json:"playbook"`
}

// explainTerm is the glossary term a KPI card explains.
func explainTerm(kpi string) string {
	switch kpi {
	case "customers", "revenue", "aov", "asof":
		return kpi
	}
	return ""
}

// SampleKey is a sample's key in the messages (sample_KEY, sample_desc_KEY):
// its file name without the extension.
func SampleKey(file string) string { return strings.TrimSuffix(file, path.Ext(file)) }

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
