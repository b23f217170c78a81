package site

import (
	"testing"

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
