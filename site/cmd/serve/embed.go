//go:build embed

package main

import "segsim/site/dist"

func init() { embedded = dist.FS }
