import KexecPlan

/// A Debian-style defaults file (`/etc/default/xen-kexec-load`): shell `KEY=VALUE` lines.
///
/// Accepted: blank lines, `#` comments, an optional `export ` prefix, values bare,
/// 'single-quoted' (literal) or "double-quoted" (with `\"`, `\\`, `\$` and `` \` `` escapes).
/// Not accepted (reported with the line number): variable expansion, command substitution,
/// unterminated quotes, text after a closing quote, keys that are not shell identifiers.
/// The file is read as data, never run by a shell.
public struct DefaultsFile: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public var entries: [Entry]

    /// The last value given for `key`, as a shell would see it.
    public subscript(key: String) -> String? { entries.last(where: { $0.key == key })?.value }

    public static func parse(_ text: String) throws(DefaultsFileError) -> DefaultsFile {
        var entries: [Entry] = []
        for (i, raw) in lines(text) {
            if let e = try entry(raw, line: i) { entries.append(e) }
        }
        return DefaultsFile(entries: entries)
    }

    /// Like ``parse(_:)``, for a file another program owns (Debian kdump-tools' defaults):
    /// a line this parser refuses is an error only when it assigns one of `keys`; any other
    /// refused line is skipped and returned, so the caller can say which were not read.
    public static func parse(_ text: String, strictFor keys: Set<String>) throws(DefaultsFileError) -> (file: DefaultsFile, skipped: [DefaultsFileError]) {
        var entries: [Entry] = []
        var skipped: [DefaultsFileError] = []
        for (i, raw) in lines(text) {
            do throws(DefaultsFileError) {
                if let e = try entry(raw, line: i) { entries.append(e) }
            } catch {
                if let key = assignedKey(raw), keys.contains(key) { throw error }
                skipped.append(error)
            }
        }
        return (DefaultsFile(entries: entries), skipped)
    }

    /// The file's lines with their 1-based numbers.
    static func lines(_ text: String) -> [(Int, Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, $0.element) }
    }

    /// One line: nil for a blank or comment line, else its assignment.
    static func entry(_ raw: Substring, line lineNo: Int) throws(DefaultsFileError) -> Entry? {
        let line = assignment(raw)
        if line.isEmpty || line.hasPrefix("#") { return nil }
        guard let eq = line.firstIndex(of: "=") else { throw .notAssignment(line: lineNo) }
        let key = String(line[..<eq])
        guard isIdentifier(key) else { throw .badKey(key, line: lineNo) }
        let value = try parseValue(line[line.index(after: eq)...], line: lineNo)
        return Entry(key: key, value: value, line: lineNo)
    }

    /// The line without leading blanks and without an `export ` prefix.
    static func assignment(_ raw: Substring) -> Substring {
        var line = raw
        while let f = line.first, f == " " || f == "\t" { line = line.dropFirst() }
        if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
        return line
    }

    /// The variable a line assigns, when its start reads `NAME=`, whatever follows.
    static func assignedKey(_ raw: Substring) -> String? {
        let line = assignment(raw)
        guard let eq = line.firstIndex(of: "=") else { return nil }
        let key = String(line[..<eq])
        return isIdentifier(key) ? key : nil
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f == "_" || f.isLetter, f.isASCII else { return false }
        return s.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
    }

    static func parseValue(_ s: Substring, line: Int) throws(DefaultsFileError) -> String {
        var out = ""
        var it = s.makeIterator()
        var quote: Character? = nil
        var closedQuote = false
        while let c = it.next() {
            if closedQuote {
                if c == " " || c == "\t" { continue }
                if c == "#" { break }
                throw .trailingText(line: line)
            }
            switch quote {
            case nil:
                switch c {
                case "'", "\"": quote = c
                case "#" where out.isEmpty: return out
                case " ", "\t": closedQuote = true  // end of a bare word; only a comment may follow
                case "$", "`": throw .expansion(line: line)
                case "\\":
                    guard let n = it.next() else { throw .trailingText(line: line) }
                    out.append(n)
                default: out.append(c)
                }
            case "'":
                if c == "'" { quote = nil; closedQuote = true } else { out.append(c) }
            default:
                switch c {
                case "\"": quote = nil; closedQuote = true
                case "$", "`": throw .expansion(line: line)
                case "\\":
                    guard let n = it.next() else { throw .unterminatedQuote(line: line) }
                    if "\"\\$`".contains(n) { out.append(n) } else { out.append("\\"); out.append(n) }
                default: out.append(c)
                }
            }
        }
        if quote != nil { throw .unterminatedQuote(line: line) }
        return out
    }
}

/// Why a defaults file cannot be read; each case names the line.
public enum DefaultsFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAssignment(line: Int)
    case badKey(String, line: Int)
    case unterminatedQuote(line: Int)
    case trailingText(line: Int)
    case expansion(line: Int)

    public var line: Int {
        switch self {
        case .notAssignment(let l), .badKey(_, let l), .unterminatedQuote(let l), .trailingText(let l), .expansion(let l): l
        }
    }

    public var description: String {
        switch self {
        case .notAssignment(let l): "line \(l): expected KEY=VALUE"
        case .badKey(let k, let l): "line \(l): '\(k)' is not a valid variable name"
        case .unterminatedQuote(let l): "line \(l): unterminated quote"
        case .trailingText(let l): "line \(l): unexpected text after the value (quote values that contain spaces)"
        case .expansion(let l): "line \(l): '$' and '`' expansions are not supported; write the value literally"
        }
    }
}
