/// A range of machine (host-physical) addresses `[start, start + size)`.
public struct AddressRange: Equatable, Hashable, Sendable, Comparable {
    public var start: UInt64
    public var size: UInt64

    public init(start: UInt64, size: UInt64) {
        self.start = start
        self.size = size
    }

    /// One past the last byte; `nil` if `start + size` overflows 64 bits.
    public var end: UInt64? {
        let (e, o) = start.addingReportingOverflow(size)
        return o ? nil : e
    }

    /// True if `other` lies entirely inside this range.
    public func contains(_ other: AddressRange) -> Bool {
        guard let e = end, let oe = other.end else { return false }
        return other.start >= start && oe <= e
    }

    /// True if the half-open ranges share at least one byte.
    public func overlaps(_ other: AddressRange) -> Bool {
        guard let e = end, let oe = other.end else { return true }
        return start < oe && other.start < e && size > 0 && other.size > 0
    }

    public static func < (a: AddressRange, b: AddressRange) -> Bool {
        (a.start, a.size) < (b.start, b.size)
    }
}

/// E820 memory types as Xen's machine memory map and boot_params use them.
public enum E820Type: UInt32, Sendable, Codable {
    case ram = 1
    case reserved = 2
    case acpi = 3
    case nvs = 4
    case unusable = 5
    case pmem = 7
    case pram = 12

    public var name: String {
        switch self {
        case .ram: "ram"
        case .reserved: "reserved"
        case .acpi: "acpi"
        case .nvs: "nvs"
        case .unusable: "unusable"
        case .pmem: "pmem"
        case .pram: "pram"
        }
    }

    public init?(name: String) {
        for t in [E820Type.ram, .reserved, .acpi, .nvs, .unusable, .pmem, .pram] where t.name == name {
            self = t
            return
        }
        return nil
    }
}

/// One entry of an e820-style memory map.
public struct MemoryRange: Equatable, Hashable, Sendable {
    public var range: AddressRange
    /// Raw e820 type; unknown types are kept as numbers and treated as reserved.
    public var type: UInt32

    public init(start: UInt64, size: UInt64, type: E820Type) {
        self.range = AddressRange(start: start, size: size)
        self.type = type.rawValue
    }

    public init(range: AddressRange, rawType: UInt32) {
        self.range = range
        self.type = rawType
    }

    public var isRAM: Bool { type == E820Type.ram.rawValue }
}

extension AddressRange {
    /// The range widened to whole 4 KiB pages, or `nil` if its end overflows.
    var pageRounded: AddressRange? {
        guard let e = end, let ue = Checked.pageUp(e) else { return nil }
        let s = Checked.pageDown(start)
        return AddressRange(start: s, size: ue - s)
    }

    /// Builds `[start, end)`; `nil` if `end < start`.
    static func from(_ start: UInt64, to end: UInt64) -> AddressRange? {
        end >= start ? AddressRange(start: start, size: end - start) : nil
    }

    /// This range minus every range in `holes`, as sorted non-empty pieces.
    func subtracting(_ holes: [AddressRange]) -> [AddressRange] {
        guard let myEnd = end else { return [] }
        var pieces = [AddressRange(start: start, size: size)]
        for h in holes {
            guard let hEnd = h.end, h.size > 0 else { continue }
            var next: [AddressRange] = []
            for p in pieces {
                let pEnd = p.start + p.size
                if hEnd <= p.start || h.start >= pEnd { next.append(p); continue }
                if h.start > p.start { next.append(AddressRange(start: p.start, size: h.start - p.start)) }
                if hEnd < pEnd { next.append(AddressRange(start: hEnd, size: pEnd - hEnd)) }
            }
            pieces = next
        }
        _ = myEnd
        return pieces.filter { $0.size > 0 }.sorted()
    }
}
