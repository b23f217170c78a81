// Package samples embeds the bundled sample order exports: four files
// made by the segsim/seeds/gen generator and the CDNOW transaction log.
//
// Regenerate the generated files with: go generate ./seeds/samples
// (from the module root). The tests fail if they drift from what the
// generator writes for the configs listed here.
package samples

import "embed"

//go:generate go run ../cmd/seedgen -industry apparel -orders 15000 -zh -out apparel_zh.csv
//go:generate go run ../cmd/seedgen -industry grocery -orders 15000 -out grocery_en.csv
//go:generate go run ../cmd/seedgen -industry education -orders 15000 -out education_en.csv
//go:generate go run ../cmd/seedgen -industry livestream -orders 15000 -zh -out livestream_zh.csv

// FS holds the sample CSV files, named as in List.
//
//go:embed *.csv
var FS embed.FS

// Sample describes one file in FS. For generated files, Industry, Orders,
// Chinese and Seed are the generator settings (Seed 0 means the
// generator's default seed).
type Sample struct {
	Name        string // file name in FS
	Industry    string // generator industry, or "music" for CDNOW
	Language    string // header language: "en" or "zh"
	Description string
	Generated   bool // made by seedgen; false for third-party data
	Orders      int  // -orders given to seedgen
	Chinese     bool // -zh given to seedgen
	Seed        uint64
	// Playbook is the strategy preset for the sample's industry.
	Playbook string
}

// List returns the bundled samples in display order.
func List() []Sample {
	return []Sample{
		{
			Name: "apparel_zh.csv", Industry: "apparel", Playbook: "ecommerce", Language: "zh", Generated: true, Orders: 15000, Chinese: true,
			Description: "E-commerce apparel, Chinese headers: medium baskets, 14% returns, 618 and Double 11 peaks.",
		},
		{
			Name: "grocery_en.csv", Industry: "grocery", Playbook: "fmcg", Language: "en", Generated: true, Orders: 15000,
			Description: "Grocery / FMCG: frequent small baskets, Spring Festival stock-up and dip.",
		},
		{
			Name: "education_en.csv", Industry: "education", Playbook: "education", Language: "en", Generated: true, Orders: 15000,
			Description: "Online education: rare large course purchases at catalogue prices, renewals, free trial orders.",
		},
		{
			Name: "livestream_zh.csv", Industry: "livestream", Playbook: "livestream", Language: "zh", Generated: true, Orders: 15000, Chinese: true,
			Description: "Live-stream shopping, Chinese headers: bursty impulse buying, 28% returns, many coupon hunters.",
		},
		{
			Name: "cdnow.csv", Industry: "music", Playbook: "ecommerce", Language: "en",
			Description: "CDNOW music CD purchases 1997-1998 (23,570 customers; columns customer_id,date,cds,amount). MIT-licensed, from the lifetimes package.",
		},
	}
}
