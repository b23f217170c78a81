//go:build js && wasm

// Command wasm exposes the segsim core to the browser page. It runs inside
// a Web Worker and only translates between JavaScript values and
// core/session, which keeps the loaded dataset and decides what each call
// computes: the worker's glue streams a file into a Go buffer (alloc,
// write), then calls load, run, rows and csv. Answers travel as JSON text;
// files as bytes.
package main

import (
	"runtime"
	"strconv"
	"syscall/js"

	"segsim/core/session"
)

var (
	loader session.Loader
	sess   *session.Session    // the loaded dataset; nil before the first load
	part   *session.PartReader // the part being read, in a part reader's instance
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("version", session.ScenarioVersion)
	api.Set("alloc", js.FuncOf(alloc))
	api.Set("write", js.FuncOf(write))
	api.Set("split", js.FuncOf(split))
	api.Set("join", js.FuncOf(join))
	api.Set("partStart", js.FuncOf(partStart))
	api.Set("partWrite", js.FuncOf(partWrite))
	api.Set("partEnd", js.FuncOf(partEnd))
	api.Set("load", js.FuncOf(load))
	api.Set("run", js.FuncOf(run))
	api.Set("rows", js.FuncOf(rows))
	api.Set("csv", js.FuncOf(csvExport))
	api.Set("rejects", js.FuncOf(rejects))
	api.Set("warm", js.FuncOf(func(js.Value, []js.Value) any { current().Warm(); return nil }))
	api.Set("predictions", js.FuncOf(func(_ js.Value, args []js.Value) any {
		b, err := current().Predictions(args[0].Truthy())
		if err != nil {
			return session.ErrorJSON(err, nil)
		}
		return bytesToJS(b)
	}))
	api.Set("defaults", js.FuncOf(func(js.Value, []js.Value) any { return session.Defaults() }))
	api.Set("points", js.FuncOf(func(_ js.Value, args []js.Value) any { return current().Points(str(args, 0)) }))
	api.Set("playbook", js.FuncOf(func(_ js.Value, args []js.Value) any { return session.CheckPlaybook(str(args, 0)) }))
	api.Set("profits", js.FuncOf(func(_ js.Value, args []js.Value) any { return session.ActionProfits(str(args, 0)) }))
	api.Set("pin", js.FuncOf(func(js.Value, []js.Value) any { return current().Pin() }))
	api.Set("unpin", js.FuncOf(func(js.Value, []js.Value) any { current().Unpin(); return nil }))
	api.Set("kpi", js.FuncOf(func(_ js.Value, args []js.Value) any { return current().KPISolve(args[0].Float(), args[1].Int()) }))
	api.Set("readout", js.FuncOf(readout))
	api.Set("snapshot", js.FuncOf(func(_ js.Value, args []js.Value) any { return current().Snapshot(str(args, 0)) }))
	api.Set("compareSnapshot", js.FuncOf(func(_ js.Value, args []js.Value) any { return current().CompareSnapshot(str(args, 0)) }))
	api.Set("measured", js.FuncOf(func(js.Value, []js.Value) any { return current().MeasuredPlaybook() }))
	js.Global().Set("segsimCore", api)
	select {}
}

// str returns args[i] when it is a string, else "".
func str(args []js.Value, i int) string {
	if len(args) > i && args[i].Type() == js.TypeString {
		return args[i].String()
	}
	return ""
}

// current returns the loaded session, or an empty one that answers that
// no data is loaded.
func current() *session.Session {
	if sess == nil {
		return &session.Session{}
	}
	return sess
}

// alloc(size, optionsJSON) prepares the buffer for a file of size bytes
// and drops the loaded dataset. With the load options the file will be
// loaded with, a large file is parsed while write receives it.
func alloc(_ js.Value, args []js.Value) any {
	stream := len(args) > 1 && args[1].Type() == js.TypeString
	loader.Alloc(args[0].Int(), sess, str(args, 1), stream)
	sess = nil
	return nil
}

// write(chunk Uint8Array, offset) copies a chunk of the file into the
// buffer; chunks arrive in order.
func write(_ js.Value, args []js.Value) any {
	off := args[1].Int()
	n := js.CopyBytesToGo(loader.Space(off), args[0])
	loader.Wrote(off, n)
	return n
}

// split(at) prepares to read the file alloc was given in two parts, the
// second from the first record after byte at read by another instance
// (part); it returns the seed that instance must hash order ids with, as
// decimal text, or "" when the file is read in one part.
func split(_ js.Value, args []js.Value) any {
	seed := loader.Split(args[0].Int())
	if seed == 0 {
		return ""
	}
	return strconv.FormatUint(seed, 10)
}

// join(from, part) adds the part another instance read (a Uint8Array
// starting at byte from of the file); it returns "" or why the part was
// not taken, in which case this instance reads the rest itself.
func join(_ js.Value, args []js.Value) any {
	if err := loader.Join(args[0].Int(), bytesArg(args, 1)); err != nil {
		return err.Error()
	}
	return ""
}

// partStart(head, at, total, optionsJSON, seed) starts reading the second
// part of a file for another instance's join: head is the file's start,
// at where the part's search begins, total the file's size. The file from
// byte at then arrives through partWrite, and partEnd returns the part.
// It returns "" or, when the file is not read in parts, the reason.
func partStart(_ js.Value, args []js.Value) any {
	part = nil
	seed, err := strconv.ParseUint(str(args, 4), 10, 64)
	if err != nil {
		return "part: the seed is not a number"
	}
	if part, err = session.NewPartReader(bytesArg(args, 0), args[1].Int(), args[2].Int(), str(args, 3), seed); err != nil {
		return err.Error()
	}
	return ""
}

// partWrite(chunk Uint8Array, offset) copies a chunk of the file from byte
// at on into the part's buffer; chunks arrive in order.
func partWrite(_ js.Value, args []js.Value) any {
	off := args[1].Int()
	part.Wrote(off, js.CopyBytesToGo(part.Space(off), args[0]))
	return nil
}

// partEnd() reads the rest of the part and returns {from, part} (part a
// Uint8Array) or the reason it could not be read, as text.
func partEnd(js.Value, []js.Value) any {
	b, from, err := part.Finish()
	part = nil
	if err != nil {
		return err.Error()
	}
	out := js.Global().Get("Object").New()
	out.Set("from", from)
	out.Set("part", bytesToJS(b))
	return out
}

// load(optionsJSON) parses the buffer (see session.Loader.Load for the
// answer). The dataset loaded before is dropped either way. Then the
// file's bytes are dropped too (the worker writes the file again to load
// it with other options) and the heap collected: the first run reuses
// their memory rather than growing the instance's, which never shrinks.
func load(_ js.Value, args []js.Value) any {
	var progress func(done, total int)
	if p := js.Global().Get("segsimProgress"); p.Type() == js.TypeFunction {
		progress = func(done, total int) { p.Invoke(done, total) }
	}
	prev := sess
	sess = nil
	s, answer := loader.Load(str(args, 0), prev, progress)
	sess = s
	loader.Release()
	runtime.GC()
	return answer
}

// run(scenarioJSON, near, optionsJSON) answers with session.Apply.
func run(_ js.Value, args []js.Value) any {
	near := 8
	if len(args) > 1 && args[1].Type() == js.TypeNumber {
		near = args[1].Int()
	}
	return current().Apply(str(args, 0), near, str(args, 2))
}

// rows(filter, offset, limit) returns one page of the customer table,
// only the customers of the group filter names ("kind=name", "" for all).
func rows(_ js.Value, args []js.Value) any {
	return current().Rows(str(args, 0), args[1].Int(), args[2].Int())
}

// csvExport(bom, chinese, filter) returns the per-customer CSV of the last
// run (only the group filter names, "" for all) as
// a Uint8Array: the bytes the command line's score writes.
func csvExport(_ js.Value, args []js.Value) any {
	b, err := current().CSV(args[0].Truthy(), args[1].Truthy(), str(args, 2))
	if err != nil {
		return session.ErrorJSON(err, nil)
	}
	return bytesToJS(b)
}

// rejects(optionsJSON) returns the skipped rows of the last load as CSV
// (a Uint8Array); see session.Session.Rejects for the options.
func rejects(_ js.Value, args []js.Value) any {
	b, err := current().Rejects(str(args, 0))
	if err != nil {
		return session.ErrorJSON(err, nil)
	}
	return bytesToJS(b)
}

// readout(plan, orders, optionsJSON) answers session.Session.Readout:
// plan and orders are Uint8Arrays, or null for the plan of the last run
// and the loaded file.
func readout(_ js.Value, args []js.Value) any {
	return current().Readout(bytesArg(args, 0), bytesArg(args, 1), str(args, 2))
}

// bytesArg copies args[i] when it is a Uint8Array, else returns nil.
func bytesArg(args []js.Value, i int) []byte {
	if len(args) <= i || args[i].Type() != js.TypeObject {
		return nil
	}
	b := make([]byte, args[i].Get("length").Int())
	js.CopyBytesToGo(b, args[i])
	return b
}

func bytesToJS(b []byte) js.Value {
	out := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(out, b)
	return out
}
