import FoundationEssentials
import KexecImage

/// The JSON shapes of a plan and of a host description, shared by `plan --json`,
/// `load --dry-run --json` and `range --json`. Machine addresses are hex strings (64-bit
/// values exceed JSON's safe integers); byte counts are numbers. `schemaVersion` changes
/// only on incompatible changes.
public enum PlanJSON {
    public static let schemaVersion = 1

    /// A range as JSON: `{"start": "0x40000000", "size": 268435456}`.
    public struct Range: Codable, Equatable, Sendable {
        public var start: String
        public var size: UInt64
        public init(_ r: AddressRange) {
            start = hex(r.start)
            size = r.size
        }
        public var addressRange: AddressRange? { parseHex(start).map { AddressRange(start: $0, size: size) } }
    }

    /// An e820 entry: range plus numeric type and its name.
    public struct MemoryEntry: Codable, Equatable, Sendable {
        public var start: String
        public var size: UInt64
        public var type: UInt32
        public var typeName: String?
        public init(_ m: MemoryRange) {
            start = hex(m.range.start)
            size = m.range.size
            type = m.type
            typeName = E820Type(rawValue: m.type)?.name
        }
        public var memoryRange: MemoryRange? {
            parseHex(start).map { MemoryRange(range: AddressRange(start: $0, size: size), rawType: type) }
        }
    }

    /// `xen-kexec-load range --json`.
    public struct Host: Codable, Equatable, Sendable {
        public var schemaVersion: Int
        public var crashRegion: Range?
        public var memoryMap: [MemoryEntry]
        public var cpuNotes: [Range]
        public var vmcoreInfo: Range?
        /// dom0's VMCOREINFO note; absent in older files and when dom0 did not give it.
        public var dom0VmcoreInfo: Range?
        public var xenImage: Range?
        public var acpiRsdp: String?
        /// ``AcpiRsdpSource`` raw value; absent in older files.
        public var acpiRsdpSource: String?
        /// The bytes dom0 read at ``acpiRsdp`` as hex digits; absent when not read.
        public var acpiRsdpBytes: String?
        /// ``HostFirmware`` raw value; absent in older files (then `unknown`).
        public var firmware: String?
        /// The host's physical address width; optional (`range --json` does not write it).
        public var physicalAddressBits: Int?

        public init(_ h: HostDescription) {
            schemaVersion = PlanJSON.schemaVersion
            crashRegion = h.crashRegion.map(Range.init)
            memoryMap = h.memoryMap.map(MemoryEntry.init)
            cpuNotes = h.cpuNotes.map(Range.init)
            vmcoreInfo = h.vmcoreInfo.map(Range.init)
            dom0VmcoreInfo = h.dom0VmcoreInfo.map(Range.init)
            xenImage = h.xenImage.map(Range.init)
            acpiRsdp = h.acpiRsdp.map(hex)
            acpiRsdpSource = h.acpiRsdpSource?.rawValue
            acpiRsdpBytes = h.acpiRsdpBytes.map(hexDigits)
            firmware = h.firmware.rawValue
            physicalAddressBits = h.physicalAddressBits
        }

        /// The host description, or nil if an address is not a hex string.
        public var hostDescription: HostDescription? {
            var notes: [AddressRange] = []
            for n in cpuNotes {
                guard let r = n.addressRange else { return nil }
                notes.append(r)
            }
            var map: [MemoryRange] = []
            for m in memoryMap {
                guard let r = m.memoryRange else { return nil }
                map.append(r)
            }
            if crashRegion != nil && crashRegion?.addressRange == nil { return nil }
            if vmcoreInfo != nil && vmcoreInfo?.addressRange == nil { return nil }
            if dom0VmcoreInfo != nil && dom0VmcoreInfo?.addressRange == nil { return nil }
            if xenImage != nil && xenImage?.addressRange == nil { return nil }
            if let a = acpiRsdp, parseHex(a) == nil { return nil }
            var source: AcpiRsdpSource?
            if let s = acpiRsdpSource {
                guard let known = AcpiRsdpSource(rawValue: s) else { return nil }
                source = known
            }
            var rsdpBytes: [UInt8]?
            if let text = acpiRsdpBytes {
                guard let b = parseHexDigits(text) else { return nil }
                rsdpBytes = b
            }
            var fw = HostFirmware.unknown
            if let f = firmware {
                guard let known = HostFirmware(rawValue: f) else { return nil }
                fw = known
            }
            var host = HostDescription(
                crashRegion: crashRegion?.addressRange, memoryMap: map.sorted { $0.range < $1.range }, cpuNotes: notes,
                vmcoreInfo: vmcoreInfo?.addressRange, xenImage: xenImage?.addressRange, acpiRsdp: acpiRsdp.flatMap(parseHex),
                acpiRsdpSource: source, firmware: fw)
            host.physicalAddressBits = physicalAddressBits
            host.acpiRsdpBytes = rsdpBytes
            host.dom0VmcoreInfo = dom0VmcoreInfo?.addressRange
            return host
        }
    }

    /// One segment of `plan --json`.
    public struct Segment: Codable, Equatable, Sendable {
        public var index: Int
        public var role: String
        public var dest: String
        public var destSize: UInt64
        public var bufSize: UInt64
        /// `"image"`, `"initrd"`, `"generated"` or `"none"`.
        public var source: String
        /// Byte offset in the source file (file sources only).
        public var fileOffset: Int?
        /// The segment's own SHA-256, only with `plan --segment-digests` (absent otherwise).
        public var sha256: String?
    }

    /// `plan --json` / `load --dry-run --json`.
    public struct Plan: Codable, Equatable, Sendable {
        public var schemaVersion: Int
        public var type: String
        public var typeValue: UInt8
        public var arch: UInt16
        /// `entry_maddr`: the purgatory entry, or for crash-efi the boot_params address (`parameters`).
        public var entryOrParameters: String
        public var kernelEntry: String
        public var crashRegion: Range?
        public var segments: [Segment]
        public var commandLine: String
        public var e820: [MemoryEntry]
        public var digest: String

        public init(_ p: LoadPlan) {
            schemaVersion = PlanJSON.schemaVersion
            type = p.type.name
            typeValue = p.type.rawValue
            arch = p.arch
            entryOrParameters = hex(p.entryOrParameters)
            kernelEntry = hex(p.kernelEntry)
            crashRegion = p.crashRegion.map(Range.init)
            segments = p.segments.enumerated().map { i, s in
                var source = "none"
                var offset: Int?
                switch s.source {
                case .none: break
                case .generated: source = "generated"
                case .file(let f, let r):
                    source = f.rawValue
                    offset = r.lowerBound
                }
                return Segment(
                    index: i, role: s.role.rawValue, dest: hex(s.dest), destSize: s.destSize, bufSize: s.bufSize,
                    source: source, fileOffset: offset, sha256: s.sha256.map(hexDigits))
            }
            commandLine = p.commandLine
            e820 = p.e820.map(MemoryEntry.init)
            digest = hexDigits(p.digest)
        }
    }

    /// An error on `--json` (same exit code as the text form).
    public struct Failure: Codable, Equatable, Sendable {
        public var schemaVersion: Int
        public var error: String
        public init(_ message: String) {
            schemaVersion = PlanJSON.schemaVersion
            error = message
        }
    }

    /// Sorted-key, pretty JSON text of any of the shapes above, with a final newline.
    public static func encode<T: Encodable>(_ value: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Decodes a host description from `range --json` output.
    public static func decodeHost(_ bytes: [UInt8]) -> HostDescription? {
        guard let h = try? JSONDecoder().decode(Host.self, from: Data(bytes)) else { return nil }
        return h.hostDescription
    }
}

/// Parses `0x…` hex (or decimal) text.
func parseHex(_ s: String) -> UInt64? {
    if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
    return UInt64(s, radix: 10)
}

/// Parses an even number of hex digits (``hexDigits``' output) into bytes.
func parseHexDigits(_ s: String) -> [UInt8]? {
    let digits = Array(s.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        guard let b = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
        bytes.append(b)
        i += 2
    }
    return bytes
}
