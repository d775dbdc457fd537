/// Why a PE image is not a usable UKI. Each case names the section, the byte offset and what was expected.
public enum UKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `.linux` section.
    case missingLinuxSection(sectionCount: Int)
    /// Two sections share a name this loader reads.
    case duplicateSection(name: String, firstHeaderOffset: Int, secondHeaderOffset: Int)
    /// A required section has an empty payload.
    case emptySection(name: String, headerOffset: Int)
    /// A text section (`.cmdline`, `.osrel`, `.uname`) has a NUL before its end.
    case textHasNUL(name: String, offset: Int)
    /// A text section is not valid UTF-8.
    case textNotUTF8(name: String, offset: Int)

    public var field: String {
        switch self {
        case .missingLinuxSection, .duplicateSection: "section.Name"
        case .emptySection(let name, _): "\(name).VirtualSize"
        case .textHasNUL(let name, _), .textNotUTF8(let name, _): name
        }
    }

    public var offset: Int {
        switch self {
        case .missingLinuxSection: 0
        case .duplicateSection(_, _, let second): second
        case .emptySection(_, let headerOffset): headerOffset + 8
        case .textHasNUL(_, let offset), .textNotUTF8(_, let offset): offset
        }
    }

    public var description: String {
        switch self {
        case .missingLinuxSection(let count):
            "UKI without a kernel: none of the \(count) PE section headers has section.Name \".linux\", expected one"
        case .duplicateSection(let name, let first, let second):
            "UKI section \(name) appears twice (headers at \(hex(first)) and \(hex(second))), expected once"
        case .emptySection(let name, let headerOffset):
            "UKI section \(name) (header at \(hex(headerOffset))) is empty: min(VirtualSize at \(hex(headerOffset + 8)), SizeOfRawData) is 0, expected a payload"
        case .textHasNUL(let name, let offset):
            "UKI section \(name) has a NUL byte at \(hex(offset)) before its end, expected text"
        case .textNotUTF8(let name, let offset):
            "UKI section \(name) at \(hex(offset)) is not valid UTF-8 text"
        }
    }
}
