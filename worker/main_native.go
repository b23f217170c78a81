//go:build !js

package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// main serves the API on 127.0.0.1 for development: -addr, or PORT.
func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8787"
	}
	addr := flag.String("addr", "127.0.0.1:"+port, "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "worker: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("segsim worker API on http://%s/%s/\n", ln.Addr(), APIVersion)
	srv := &http.Server{Handler: NewHandler(DefaultLimits, today), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(os.Stderr, "worker: %v\n", err)
		os.Exit(1)
	}
}
