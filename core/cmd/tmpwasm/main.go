//go:build js && wasm

package main

import (
	"fmt"
	"os"
	"time"

	"segsim/core/session"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	for round := 0; round < 4; round++ {
		var l session.Loader
		l.Alloc(len(data), nil, "{}", true)
		const chunk = 1 << 20
		for off := 0; off < len(data); off += chunk {
			n := copy(l.Space(off), data[off:min(off+chunk, len(data))])
			l.Wrote(off, n)
		}
		s, _ := l.Load("{}", nil, nil)
		t2 := time.Now()
		s.Apply("", 8, "{}")
		fmt.Printf("first run %v\n", time.Since(t2))
	}
}
