package main

import "time"

// today returns the current UTC date as YYYY-MM-DD: the default as-of date.
func today() string { return time.Now().UTC().Format(time.DateOnly) }
