/// Splitting and joining Linux kernel command lines.
///
/// The kernel splits its command line at spaces outside double quotes
/// (`lib/cmdline.c` `next_arg`); a quoted value such as `foo="a b"` is one word.
public enum KernelCommandLineWords {
    /// Splits `line` into words, keeping double-quoted spans (quotes included) inside one word.
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        for ch in line {
            if ch == "\"" { inQuotes.toggle() }
            if !inQuotes && (ch == " " || ch == "\t" || ch == "\n") {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The parameter name of a word: the part before `=` (the whole word for a flag).
    public static func key(of word: String) -> Substring {
        word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(word)
    }

    /// The value of a word after the first `=`, or nil for a flag.
    public static func value(of word: String) -> Substring? {
        let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? parts[1] : nil
    }

    /// Joins words with single spaces.
    public static func join(_ words: [String]) -> String { words.joined(separator: " ") }
}
