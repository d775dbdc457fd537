/// Decoding of the small text sections of UKIs and ELF envelopes (`.cmdline`, `.osrel`, `.uname`).
enum SectionText {
    enum Problem: Error, Equatable {
        /// A NUL at this index of the section, followed by a non-NUL byte.
        case interiorNUL(at: Int)
        case notUTF8
    }

    /// The text of a section: trailing NULs, then trailing newlines, removed; a NUL before
    /// the end, or invalid UTF-8, is a problem.
    static func decode(_ raw: [UInt8]) -> Result<String, Problem> {
        var end = raw.count
        while end > 0 && raw[end - 1] == 0 { end -= 1 }
        if let nul = raw[..<end].firstIndex(of: 0) { return .failure(.interiorNUL(at: nul)) }
        while end > 0 && (raw[end - 1] == 0x0A || raw[end - 1] == 0x0D) { end -= 1 }
        guard let text = String(validating: raw[..<end], as: UTF8.self) else { return .failure(.notUTF8) }
        return .success(text)
    }
}
