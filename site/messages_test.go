package site

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"segsim/core/engine"
	"segsim/core/ingest"
	"segsim/core/simulate"
	"segsim/core/strategy"
)

// TestPlanNoteMessages checks that the page can say every plan note and
// unspent-budget reason the core gives, in English as the core says it and
// in Chinese.
func TestPlanNoteMessages(t *testing.T) {
	for prefix, texts := range map[string]map[string]string{"note_": strategy.SegmentNotes, "unspent_": strategy.UnspentReasons} {
		for code, en := range texts {
			m, ok := Messages[prefix+code]
			switch {
			case !ok:
				t.Errorf("no message %s%s", prefix, code)
			case m[English] != en:
				t.Errorf("%s%s: English %q, the core says %q", prefix, code, m[English], en)
			case m[Chinese] == "":
				t.Errorf("%s%s: no Chinese text", prefix, code)
			}
		}
	}
}

// TestFitNoteMessages checks that the page can say every fit warning the
// core gives, in English word for word as the core says it and in Chinese.
func TestFitNoteMessages(t *testing.T) {
	for code := range engine.FitNotes {
		m, ok := Messages["warn_"+code]
		en := strings.NewReplacer("{n}", "7", "{s}", "why").Replace(m[English])
		if want := (engine.FitNote{Code: code, N: 7, Detail: "why"}).Text(); !ok || en != want || m[Chinese] == "" {
			t.Errorf("warn_%s: English %q, the core says %q; Chinese %q", code, en, want, m[Chinese])
		}
	}
}

// TestProjectionNoteMessages checks that the page can say every note a
// projection gives, in English word for word as the core says it and in
// Chinese.
func TestProjectionNoteMessages(t *testing.T) {
	for code := range simulate.ProjectionNotes {
		m, ok := Messages["proj_note_"+code]
		en := strings.ReplaceAll(m[English], "{n}", "7")
		if want := (simulate.Note{Code: code, N: 7}).Text(); !ok || en != want || m[Chinese] == "" {
			t.Errorf("proj_note_%s: English %q, the core says %q; Chinese %q", code, en, want, m[Chinese])
		}
	}
}

// TestLoadMessages checks that the page can say, in both languages, every
// skip reason code of ingest.Skip.Code, every kind of file ingest.Sniff
// names that is not text, every error code the wasm load gives, every
// input format and date format, and every recognised shop back-end.
func TestLoadMessages(t *testing.T) {
	var keys []string
	for _, c := range []string{"empty_row", "field_count", "no_customer", "bad_date", "ambiguous_date", "no_date", "bad_amount",
		"bad_quantity", "bad_price", "out_of_range", "bad_discount", "bad_refund", "orphan_line", "bad_record", "not_object", "duplicate_field", "bad_json", "bad_count", "bad_stats"} {
		keys = append(keys, "skip_"+c)
	}
	for _, k := range []string{"xlsx", "xls", "zip", "pdf", "png", "jpeg", "gif", "gzip", "html", "binary"} {
		keys = append(keys, "what_"+k, "advice_"+k)
	}
	for _, c := range []string{"missing_column", "not_text", "ambiguous_dates", "empty", "nothing_usable", "bad_json", "bad_options",
		"error", "xlsx_unreadable", "no_sheet", "xlsx_reader"} {
		keys = append(keys, "err_"+c)
	}
	for _, f := range []string{"csv", "tsv", "semicolon", "pipe", "json", "ndjson"} {
		keys = append(keys, "format_"+f)
	}
	for _, f := range DateFormats {
		keys = append(keys, "fmt_"+f)
	}
	for _, r := range ingest.Roles() {
		keys = append(keys, "role_"+r.String())
	}
	for _, k := range keys {
		m, ok := Messages[k]
		if !ok || m[English] == "" || m[Chinese] == "" {
			t.Errorf("message %s missing in English or Chinese", k)
		}
	}
	zh := Dictionary(Chinese)
	for _, p := range ingest.Platforms {
		if zh["platform_"+p.Key] == "" || zh["platform_"+p.Key] != p.ZH {
			t.Errorf("platform %s: Chinese name %q", p.Key, zh["platform_"+p.Key])
		}
	}
}

// TestScriptKeys checks that every message key the page's scripts (app.js
// and its modules under js/) name literally, t('key') or fill('key', …),
// exists.
func TestScriptKeys(t *testing.T) {
	re := regexp.MustCompile(`\b(?:t|fill|fillNodes)\('([a-z0-9_]+)'`)
	n := 0
	err := fs.WalkDir(Static, "static", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".js") || strings.HasSuffix(p, "worker.js") {
			return err
		}
		b, err := Static.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := Messages[m[1]]; !ok {
				t.Errorf("%s uses message %q, which does not exist", strings.TrimPrefix(p, "static/"), m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no message keys found in the page's scripts")
	}
}
