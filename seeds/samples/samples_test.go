package samples_test

import (
	"bytes"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"segsim/seeds/gen"
	"segsim/seeds/samples"
)

// maxSampleBytes bounds a generated sample so the site stays light.
const maxSampleBytes = 1_200_000

func TestSamplesMatchGenerator(t *testing.T) {
	for _, s := range samples.List() {
		if !s.Generated {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			embedded, err := samples.FS.ReadFile(s.Name)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			cfg := gen.Config{Industry: s.Industry, Orders: s.Orders, Chinese: s.Chinese, Seed: s.Seed}
			if _, err := gen.Generate(&buf, cfg); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), embedded) {
				t.Fatalf("%s differs from the generator's output; run go generate ./seeds/samples", s.Name)
			}
			if len(embedded) > maxSampleBytes {
				t.Errorf("%s is %d bytes, want at most %d", s.Name, len(embedded), maxSampleBytes)
			}
		})
	}
}

func TestListMatchesFS(t *testing.T) {
	files, err := fs.Glob(samples.FS, "*.csv")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, s := range samples.List() {
		listed = append(listed, s.Name)
		if s.Language != "en" && s.Language != "zh" || s.Description == "" || s.Industry == "" {
			t.Errorf("%s: incomplete entry %+v", s.Name, s)
		}
		if s.Generated && (s.Chinese != (s.Language == "zh") || s.Orders <= 0) {
			t.Errorf("%s: inconsistent generator settings %+v", s.Name, s)
		}
	}
	slices.Sort(listed)
	if !slices.Equal(files, listed) {
		t.Errorf("FS holds %v, List names %v", files, listed)
	}
}

func TestHeaders(t *testing.T) {
	for _, s := range samples.List() {
		data, err := samples.FS.ReadFile(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(data), "\n")
		want := "customer_id,date,cds,amount" // CDNOW
		switch {
		case s.Generated && s.Language == "zh":
			want = "会员ID,订单号,下单时间,实付金额,优惠金额,渠道,订单状态"
		case s.Generated:
			want = strings.Join(gen.HeaderEN, ",")
		}
		if header != want {
			t.Errorf("%s: header %q, want %q", s.Name, header, want)
		}
	}
}
