package main

import (
	"sync"
	"time"
)

// todayCache holds the last date today formatted and the Unix day it is
// for: an instance serves many requests a day, and formatting a time is
// not free in WebAssembly.
var todayCache struct {
	sync.Mutex
	day  int64
	text string
}

// today returns the current UTC date as YYYY-MM-DD: the default as-of date.
func today() string {
	now := time.Now().UTC()
	day := now.Unix() / 86400
	todayCache.Lock()
	defer todayCache.Unlock()
	if todayCache.text == "" || todayCache.day != day {
		todayCache.day, todayCache.text = day, now.Format(time.DateOnly)
	}
	return todayCache.text
}
