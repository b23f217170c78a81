// Command serve serves the built segsim site on a local address.
//
//	go run ./site/cmd/serve -dir site/dist -addr 127.0.0.1:8080
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"segsim/site/server"
)

func main() {
	dir := flag.String("dir", "site/dist", "built site `folder`")
	addr := flag.String("addr", "127.0.0.1:8080", "listen `address`")
	flag.Parse()
	fmt.Printf("segsim: serving %s on http://%s/ (Ctrl-C to stop)\n", *dir, *addr)
	if err := http.ListenAndServe(*addr, server.Handler(*dir)); err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
}
