// libFuzzer target: ELFEnvelope.parse on arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELFEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        let envelope = try ELFEnvelope.parse(bytes)
        consume(envelope.commandLine ?? "", envelope.kernelRange.count, envelope.sections.count)
        for section in envelope.sections { consume(section.name, section.fileRange.count, section.index) }
    } catch {
        consume(error.description, error.field, error.offset)
    }
    return 0
}
