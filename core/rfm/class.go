package rfm

// Class is one of the eight RFM classes, from high/low on each of R, F, M.
type Class uint8

// The eight classes, in the order of the classic table (R F M high/low).
const (
	ImportantValue   Class = iota // R high, F high, M high
	ImportantKeep                 // R low,  F high, M high
	ImportantDevelop              // R high, F low,  M high
	ImportantRetain               // R low,  F low,  M high
	GeneralValue                  // R high, F high, M low
	GeneralKeep                   // R low,  F high, M low
	GeneralDevelop                // R high, F low,  M low
	GeneralRetain                 // R low,  F low,  M low
	NumClasses
)

// ClassNames are the snake_case names used in exports, in Class order.
var ClassNames = [NumClasses]string{
	"important_value", "important_keep", "important_develop", "important_retain",
	"general_value", "general_keep", "general_develop", "general_retain",
}

// classOf maps the bits R<<2|F<<1|M (1 = high) to a class.
var classOf = [8]Class{
	0b000: GeneralRetain,
	0b001: ImportantRetain,
	0b010: GeneralKeep,
	0b011: ImportantKeep,
	0b100: GeneralDevelop,
	0b101: ImportantDevelop,
	0b110: GeneralValue,
	0b111: ImportantValue,
}

// ClassOf returns the class for high/low on each dimension.
func ClassOf(rHigh, fHigh, mHigh bool) Class {
	return classOf[int(b2u(rHigh))<<2|int(b2u(fHigh))<<1|int(b2u(mHigh))]
}

// Classify writes each customer's class. For each dimension, high is
// key >= threshold, or score >= threshold when onScore is set. It makes one
// pass and does not allocate.
func Classify(keys [3][]int64, scores [3][]uint8, thr [3]int64, onScore [3]bool, out []uint8) {
	if onScore != [3]bool{} {
		// Compare scores where asked by turning them into keys' thresholds:
		// simplest is a pass per dimension.
		clear(out)
		for d := 0; d < 3; d++ {
			shift := uint(2 - d)
			t := thr[d]
			if onScore[d] {
				for i, s := range scores[d] {
					out[i] |= b2u(int64(s) >= t) << shift
				}
			} else {
				for i, v := range keys[d] {
					out[i] |= b2u(v >= t) << shift
				}
			}
		}
		for i, b := range out {
			out[i] = uint8(classOf[b&7])
		}
		return
	}
	r := keys[0]
	f, m := keys[1][:len(r)], keys[2][:len(r)]
	out = out[:len(r)]
	tr, tf, tm := thr[0], thr[1], thr[2]
	for i, v := range r {
		out[i] = uint8(classOf[b2u(v >= tr)<<2|b2u(f[i] >= tf)<<1|b2u(m[i] >= tm)])
	}
}
