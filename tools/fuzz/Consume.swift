// Keeps the optimizer from dropping the values a fuzz target computes (descriptions,
// fields, offsets), so the code that renders them is exercised too.
nonisolated(unsafe) var fuzzSink = 0

@inline(never)
func consume(_ text: String, _ a: some CustomStringConvertible, _ b: Int) {
    fuzzSink &+= text.utf8.count &+ a.description.utf8.count &+ b
}
