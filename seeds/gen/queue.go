package gen

// evKind says what happens at an event.
type evKind uint8

const (
	evArrival  evKind = iota // an ordinary customer arrives with a first purchase
	evSpecial                // a pre-drawn wholesale or test account arrives
	evPurchase               // a known customer buys again
	evRefund                 // money of an earlier order goes back
)

// event is one pending happening in the simulation.
type event struct {
	t       float64 // days since Start
	seq     uint64  // insertion number, breaks ties deterministically
	kind    evKind
	c       *customer
	orderID string // evRefund: the order being refunded
	cents   int64  // evRefund: amount given back
	channel int    // evRefund: channel of the original order
}

// before orders events by time, then by insertion.
func (e *event) before(o *event) bool {
	if e.t != o.t {
		return e.t < o.t
	}
	return e.seq < o.seq
}

// queue is a binary min-heap of events by time.
type queue struct {
	items []event
	seq   uint64
}

// Len returns the number of pending events.
func (q *queue) Len() int { return len(q.items) }

// push adds e, stamping it with the next insertion number.
func (q *queue) push(e event) {
	q.seq++
	e.seq = q.seq
	q.items = append(q.items, e)
	i := len(q.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !e.before(&q.items[parent]) {
			break
		}
		q.items[i] = q.items[parent]
		i = parent
	}
	q.items[i] = e
}

// pop removes and returns the earliest event; the queue must not be empty.
func (q *queue) pop() event {
	top := q.items[0]
	last := len(q.items) - 1
	e := q.items[last]
	q.items[last] = event{}
	q.items = q.items[:last]
	if last == 0 {
		return top
	}
	i := 0
	for {
		m := 2*i + 1
		if m >= last {
			break
		}
		if r := m + 1; r < last && q.items[r].before(&q.items[m]) {
			m = r
		}
		if !q.items[m].before(&e) {
			break
		}
		q.items[i] = q.items[m]
		i = m
	}
	q.items[i] = e
	return top
}
