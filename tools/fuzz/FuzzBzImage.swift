// libFuzzer target: BzImage.parse and the loadability verdicts on arbitrary bytes.
// Built by tools/fuzz/run.sh with the KexecImage sources compiled in.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBzImage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        let image = try BzImage.parse(bytes)
        for intent in LoadIntent.allCases {
            for problem in image.problems(for: intent) { consume(problem.description, problem.field, problem.offset) }
        }
        consume(image.header.versionString, image.header.xloadflags.names.joined(), image.protectedModeSize)
    } catch {
        consume(error.description, error.field, error.offset)
    }
    return 0
}
