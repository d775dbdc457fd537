import FoundationEssentials
import KexecPlan
import XenKexec

/// JSON for the backend commands. The host description and plan encoders here are
/// interim: once the planner's own JSON (what `plan --json` prints and `plan --host FILE`
/// reads) is on main, `hostJSON` and `planJSON` delegate to it and this file shrinks to
/// the status/error documents. Conventions (reference C.5): machine addresses as `0x…`
/// strings, byte counts as numbers, sorted keys.
enum InterimJSON {
    struct Range: Encodable {
        var start: String
        var size: UInt64
        init(_ r: AddressRange) {
            start = Hex.address(r.start)
            size = r.size
        }
    }

    struct MapEntry: Encodable {
        var start: String
        var size: UInt64
        var type: String
        init(_ m: MemoryRange) {
            start = Hex.address(m.range.start)
            size = m.range.size
            type = E820Type(rawValue: m.type)?.name ?? String(m.type)
        }
    }

    struct Host: Encodable {
        var schemaVersion = 1
        var crashRegion: Range?
        var memoryMap: [MapEntry]
        var cpuNotes: [Range]
        var vmcoreInfo: Range?
        var xenImage: Range?
        var acpiRsdp: String?

        init(_ h: HostDescription) {
            crashRegion = h.crashRegion.map(Range.init)
            memoryMap = h.memoryMap.map(MapEntry.init)
            cpuNotes = h.cpuNotes.map(Range.init)
            vmcoreInfo = h.vmcoreInfo.map(Range.init)
            xenImage = h.xenImage.map(Range.init)
            acpiRsdp = h.acpiRsdp.map(Hex.address)
        }

        // Encode absent optionals as null, so the schema is the same with and without a region.
        enum CodingKeys: String, CodingKey { case schemaVersion, crashRegion, memoryMap, cpuNotes, vmcoreInfo, xenImage, acpiRsdp }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(schemaVersion, forKey: .schemaVersion)
            try c.encode(crashRegion, forKey: .crashRegion)
            try c.encode(memoryMap, forKey: .memoryMap)
            try c.encode(cpuNotes, forKey: .cpuNotes)
            try c.encode(vmcoreInfo, forKey: .vmcoreInfo)
            try c.encode(xenImage, forKey: .xenImage)
            try c.encode(acpiRsdp, forKey: .acpiRsdp)
        }
    }

    struct Segment: Encodable {
        var index: Int
        var role: String
        var dest: String
        var destSize: UInt64
        var bufSize: UInt64
        var source: String
        var sha256: String?
    }

    struct Plan: Encodable {
        var schemaVersion = 1
        var type: String
        var arch: UInt16
        var entryOrParameters: String
        var kernelEntry: String
        var crashRegion: Range?
        var commandLine: String
        var segments: [Segment]
        var e820: [MapEntry]
        var digest: String

        init(_ p: LoadPlan) {
            type = p.type.name
            arch = p.arch
            entryOrParameters = Hex.address(p.entryOrParameters)
            kernelEntry = Hex.address(p.kernelEntry)
            crashRegion = p.crashRegion.map(Range.init)
            commandLine = p.commandLine
            segments = p.segments.enumerated().map { i, s in
                let source: String
                switch s.source {
                case .none: source = "none"
                case .file(let f, let r): source = "\(f.rawValue)[\(r.lowerBound)..<\(r.upperBound)]"
                case .generated: source = "generated"
                }
                return Segment(index: i, role: s.role.rawValue, dest: Hex.address(s.dest), destSize: s.destSize,
                               bufSize: s.bufSize, source: source, sha256: s.sha256.map { Hex.string($0) })
            }
            e820 = p.e820.map(MapEntry.init)
            digest = Hex.string(p.digest)
        }
    }

    struct FileEntry: Encodable {
        var path: String
        var sha256: String
    }

    struct Record: Encodable {
        var type: String
        var state: String
        var digest: String
        var kernel: FileEntry
        var initrd: FileEntry?
        var commandLine: String
        var segments: Int
        var loadedAt: Int64
        var xenStatusBit: Bool

        init(_ r: ArmedImageRecord) {
            type = r.type.name
            state = r.state.rawValue
            digest = r.digest
            kernel = FileEntry(path: r.kernel.path, sha256: r.kernel.sha256)
            initrd = r.initrd.map { FileEntry(path: $0.path, sha256: $0.sha256) }
            commandLine = r.commandLine
            segments = r.segmentCount
            loadedAt = r.loadedAt
            xenStatusBit = r.xenStatusBit
        }
    }

    struct Status: Encodable {
        var slot: String
        var state: String
        var armed: Bool
        var xenStatusBit: Bool?
        var record: Record?
        var message: String
    }

    struct LoadResult: Encodable {
        var plan: Plan
        var loaded: Bool
        var preflight: String?
    }

    struct ErrorDocument: Encodable {
        struct Body: Encodable {
            var kind: String
            var message: String
            var exitCode: Int32
        }
        var error: Body
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func host(_ h: HostDescription) -> String { encode(Host(h)) }
    static func plan(_ p: LoadPlan) -> String { encode(Plan(p)) }
    static func error(kind: String, message: String, exitCode: Int32) -> String {
        encode(ErrorDocument(error: .init(kind: kind, message: message, exitCode: exitCode)))
    }
}
