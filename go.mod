module segsim

go 1.26.0

require (
	github.com/syumai/workers v0.31.0
	github.com/tidwall/gjson v1.20.2
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.3.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
)
