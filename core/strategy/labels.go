package strategy

import (
	"sync"

	"github.com/tidwall/gjson"

	"segsim/seeds"
)

// Label is a display name in English and Chinese.
type Label struct {
	En string `json:"en"`
	Zh string `json:"zh"`
}

// actionLabels are the display names of the presets' actions and
// channels (seeds/presets/labels.actions.json).
var actionLabels = sync.OnceValues(func() (map[string]Label, map[string]Label) {
	b, err := seeds.Preset("labels", "actions")
	if err != nil {
		panic(err) // embedded: a missing file is a build error
	}
	read := func(key string) map[string]Label {
		out := map[string]Label{}
		gjson.GetBytes(b, key).ForEach(func(k, v gjson.Result) bool {
			out[k.Str] = Label{En: v.Get("en").String(), Zh: v.Get("zh").String()}
			return true
		})
		return out
	}
	return read("actions"), read("channels")
})

// ActionLabel returns an action's display names; ok is false for an
// action the presets do not name (a custom playbook's), which shows as
// it is.
func ActionLabel(name string) (Label, bool) {
	a, _ := actionLabels()
	l, ok := a[name]
	return l, ok
}

// ChannelLabel returns a channel's display names (see ActionLabel).
func ChannelLabel(name string) (Label, bool) {
	_, c := actionLabels()
	l, ok := c[name]
	return l, ok
}

// ActionLabels returns every named action's display names.
func ActionLabels() map[string]Label {
	a, _ := actionLabels()
	return a
}
