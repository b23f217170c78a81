package strategy

import "testing"

// FuzzParsePlaybook checks that any input either parses into a valid
// playbook or fails with an error, never a panic.
func FuzzParsePlaybook(f *testing.F) {
	f.Add([]byte(`{"name":"x","segments":[{"segment":"a","actions":[{"name":"y","channel":"sms","cost":1,"response":0.2,"baseline":0.1,"order_value":100,"margin":0.5,"cap":3}]}]}`))
	f.Add([]byte(`{"segments":null}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlaybook(data)
		if err == nil {
			if err := p.Validate(); err != nil {
				t.Fatalf("parsed playbook fails validation: %v", err)
			}
		}
	})
}
