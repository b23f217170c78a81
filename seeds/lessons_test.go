package seeds_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"segsim/core/lifecycle"
	"segsim/core/rfm"
	"segsim/core/scenario"
	"segsim/core/tier"
	"segsim/seeds"
	"segsim/seeds/samples"
)

// TestLessons checks every built-in lesson as the page's checkLesson does,
// and more: its dataset is a bundled sample, every metric names a group
// that exists, every required setting is a field of the scenario, and
// every text is in English and Chinese.
func TestLessons(t *testing.T) {
	files, err := seeds.Lessons()
	if err != nil || len(files) < 6 {
		t.Fatalf("%d lessons, %v", len(files), err)
	}
	var datasets []string
	for _, s := range samples.List() {
		datasets = append(datasets, s.Name)
	}
	scheme, _ := seeds.Preset("schemes", "rfm11")
	var segments []string
	for _, r := range gjson.GetBytes(scheme, "rules.#.name").Array() {
		segments = append(segments, r.String())
	}
	names := map[string][]string{"segment": segments, "class": rfm.ClassNames[:], "tier": tier.Names[:], "stage": lifecycle.Names[:]}
	def, err := json.Marshal(scenario.Default())
	if err != nil {
		t.Fatal(err)
	}
	metric := regexp.MustCompile(`^(?:(segment|class|tier|stage):([a-z0-9_]+)(?:\.(?:customer_share|revenue_share))?|plan\.(?:contacted|holdout|cost|profit)|customers|revenue)$`)
	seen := map[string]bool{}
	for i, b := range files {
		l := gjson.ParseBytes(b)
		id := l.Get("id").String()
		if !gjson.ValidBytes(b) || id == "" || seen[id] {
			t.Fatalf("lesson %d: invalid JSON, no id or a repeated id %q", i, id)
		}
		seen[id] = true
		both := func(v gjson.Result, where string) {
			if v.Get("en").String() == "" || v.Get("zh").String() == "" {
				t.Errorf("%s %s: needs en and zh", id, where)
			}
		}
		both(l.Get("title"), "title")
		if !slices.Contains(datasets, l.Get("dataset").String()) {
			t.Errorf("%s: dataset %s is not a sample", id, l.Get("dataset"))
		}
		if sc := l.Get("scenario"); sc.Exists() && sc.Raw != "{}" {
			if _, err := scenario.Parse([]byte(sc.Raw)); err != nil {
				t.Errorf("%s: scenario: %v", id, err)
			}
		}
		steps := l.Get("steps").Array()
		if len(steps) == 0 {
			t.Errorf("%s: no steps", id)
		}
		for k, s := range steps {
			both(s.Get("task"), "task")
			both(s.Get("reveal"), "reveal")
			m := metric.FindStringSubmatch(s.Get("answer.metric").String())
			if m == nil || (m[1] != "" && !slices.Contains(names[m[1]], m[2])) {
				t.Errorf("%s step %d: metric %q", id, k, s.Get("answer.metric"))
			}
			if f := s.Get("answer.format").String(); f != "int" && f != "pct" && f != "money" {
				t.Errorf("%s step %d: format %q", id, k, f)
			}
			for _, q := range s.Get("requires").Array() {
				p := q.Get("path").String()
				both(q.Get("hint"), "hint")
				switch {
				case p == "page.plan":
				case strings.HasPrefix(p, "scenario."):
					if !gjson.GetBytes(def, strings.TrimPrefix(p, "scenario.")).Exists() {
						t.Errorf("%s step %d: %s is not a scenario field", id, k, p)
					}
				default:
					t.Errorf("%s step %d: path %q", id, k, p)
				}
			}
		}
	}
}
