// libFuzzer target: PEImage.parse (PE/COFF headers, sections, Authenticode table) and,
// when a `.linux` section is present, UnifiedKernelImage.parse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        let pe = try PEImage.parse(bytes)
        consume(pe.machineName, pe.formatName, pe.sections.count)
        for section in pe.sections { consume(section.name, section.payloadRange.count, section.rawRange.count) }
        if let table = pe.certificateTable { consume(table.certificateTypeName, table.range.count, table.certificateCount) }
        if UnifiedKernelImage.isUKI(pe) {
            do {
                let uki = try UnifiedKernelImage.parse(bytes, pe: pe)
                consume(uki.commandLine ?? "", uki.osRelease ?? "", uki.linuxRange.count)
            } catch {
                consume(error.description, error.field, error.offset)
            }
        }
    } catch {
        consume(error.description, error.field, error.offset)
    }
    return 0
}
