// Command serve serves the built segsim site. Built with -tags embed (make
// venue) it carries the whole site inside the program, so a trainer can
// copy one file to a laptop and serve a room with no network: -lan
// listens on every interface and prints the addresses to give out.
//
//	go run ./site/cmd/serve -dir site/dist -addr 127.0.0.1:8080
//	bin/segsim-venue -lan
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strconv"

	"segsim/site/server"
)

// embedded is the site built into the program (nil without -tags embed).
var embedded fs.FS

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := flags.String("dir", "", "built site `folder` (default: the site built into this program, else site/dist)")
	addr := flags.String("addr", "127.0.0.1:8080", "listen `address`")
	lan := flags.Bool("lan", false, "listen on every interface (port of -addr), so that other laptops on the network can open the page")
	if err := flags.Parse(args); err != nil {
		return err
	}
	site := embedded
	from := "the site built into this program"
	if *dir != "" || site == nil {
		d := *dir
		if d == "" {
			d = "site/dist"
		}
		if _, err := os.Stat(d); err != nil {
			return fmt.Errorf("%w (build the site with make dist, or pass -dir)", err)
		}
		site, from = os.DirFS(d), d
	}
	if _, err := fs.Stat(site, "index.html"); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s has no index.html", from)
	}
	listen := *addr
	if *lan {
		_, port, err := net.SplitHostPort(*addr)
		if err != nil {
			return fmt.Errorf("-addr: %w", err)
		}
		listen = net.JoinHostPort("", port)
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	fmt.Printf("segsim: serving %s (Ctrl-C to stop)\n", from)
	if *lan {
		for _, a := range lanAddrs() {
			fmt.Printf("  http://%s/\n", net.JoinHostPort(a, strconv.Itoa(port)))
		}
		fmt.Printf("  http://127.0.0.1:%d/ on this computer\n", port)
	} else {
		fmt.Printf("  http://%s/\n", l.Addr())
	}
	return http.Serve(l, server.HandlerFS(site))
}

// lanAddrs lists this computer's IPv4 addresses other laptops can reach.
func lanAddrs() []string {
	var out []string
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			out = append(out, n.IP.String())
		}
	}
	return out
}
