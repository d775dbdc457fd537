/// An `inspect --json` object given as one mapping from each key to its value, so a field is
/// named once; encoded with exactly those keys (the encoder sorts them).
struct InspectFields: Encodable {
    /// One JSON value.
    enum Value: Encodable {
        case number(Int)
        case text(String)
        case flag(Bool)
        case texts([String])

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let n): try c.encode(n)
            case .text(let s): try c.encode(s)
            case .flag(let b): try c.encode(b)
            case .texts(let l): try c.encode(l)
            }
        }
    }

    let members: KeyValuePairs<String, Value>

    /// `key`'s value as text (a number in decimal, a list joined with spaces; "" when absent).
    func text(_ key: String) -> String {
        switch members.first(where: { $0.key == key })?.value {
        case .number(let n): "\(n)"
        case .text(let s): s
        case .flag(let b): "\(b)"
        case .texts(let l): l.joined(separator: " ")
        case nil: ""
        }
    }

    /// `key`'s value if it is a flag (`false` otherwise).
    func flag(_ key: String) -> Bool {
        if case .flag(let b) = members.first(where: { $0.key == key })?.value { b } else { false }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (key, value) in members { try c.encode(value, forKey: Key(stringValue: key)) }
    }
}
