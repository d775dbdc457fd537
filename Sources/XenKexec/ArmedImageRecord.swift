import KexecImage
import KexecPlan

/// What this tool armed in one of Xen's slots: enough to say what is loaded, to cross-check
/// Xen's status bit, and to re-arm the same plan after a refused reload.
///
/// Stored as UTF-8 `key=value` lines (``encoded()``), one file per slot under
/// `/run/xen-kexec-load/` (``ArmedImageStore``); `/run` is emptied at boot, like Xen's slots.
public struct ArmedImageRecord: Equatable, Sendable {
    /// The record format; readers refuse other versions, but read format 1 (whose per-file
    /// digests are ignored: the plan digest identifies the armed bytes).
    public static let formatVersion = 2

    /// Whether the image in the slot is believed intact.
    public enum State: String, Sendable {
        /// Loaded by this tool and not touched since (as far as this tool knows).
        case armed
        /// Xen refused a later reload that was not restored (the restore skipped by the test-only
        /// `xen-kexec-fidelity fault-load --no-restore`, or the unload before it failed): the
        /// crash segments may have been partly overwritten. Also the record of a load in
        /// progress, which its outcome replaces (``CrashKernelLoader/recordLoadInProgress(_:)``):
        /// found afterwards, the process was killed between sending the load and recording it.
        case possiblyDamaged = "possibly-damaged"
    }

    /// A file that went into the plan. Its bytes are not hashed apart from the plan: the plan
    /// digest covers every byte loaded from it, and a restore re-makes the plan to check them.
    public struct FileRecord: Equatable, Sendable {
        public var path: String

        public init(path: String) {
            self.path = path
        }
    }

    /// The load type (crash-efi is recorded as such; it lives in the crash slot).
    public var type: LoadType
    /// The plan digest, 64 hex characters: Xen's digest of every byte loaded (`PlanDigest`).
    public var digest: String
    public var kernel: FileRecord
    public var initrd: FileRecord?
    /// The command-line request as given (so a re-plan produces the same command line).
    public var commandLineRequest: CommandLineRequest
    /// `PlanRequest.xenReadsUnalignedHeader` of the load.
    public var xenReadsUnalignedHeader: Bool
    /// `PlanRequest.lockdown`: the level the kernel was locked down at under the Secure Boot policy.
    public var lockdown: LockdownLevel?
    /// An ACPI RSDP address the administrator gave (`--acpi-rsdp`, `XEN_KEXEC_ACPI_RSDP`), so
    /// that a restore re-plans with it.
    public var acpiRsdp: ExplicitAcpiRsdp?
    /// The command line the kernel receives (for display).
    public var commandLine: String
    public var segmentCount: Int
    /// Seconds since the epoch.
    public var loadedAt: Int64
    /// Xen's status bit for the slot right after this load (it flips on every load/unload).
    public var xenStatusBit: Bool
    /// `/proc/sys/kernel/random/boot_id` at load time.
    public var bootID: String?
    public var state: State

    public init(
        type: LoadType, digest: String, kernel: FileRecord, initrd: FileRecord?,
        commandLineRequest: CommandLineRequest, xenReadsUnalignedHeader: Bool = false,
        lockdown: LockdownLevel? = nil, acpiRsdp: ExplicitAcpiRsdp? = nil,
        commandLine: String, segmentCount: Int, loadedAt: Int64, xenStatusBit: Bool,
        bootID: String?, state: State = .armed
    ) {
        self.type = type
        self.digest = digest
        self.kernel = kernel
        self.initrd = initrd
        self.commandLineRequest = commandLineRequest
        self.xenReadsUnalignedHeader = xenReadsUnalignedHeader
        self.lockdown = lockdown
        self.acpiRsdp = acpiRsdp
        self.commandLine = commandLine
        self.segmentCount = segmentCount
        self.loadedAt = loadedAt
        self.xenStatusBit = xenStatusBit
        self.bootID = bootID
        self.state = state
    }

    /// The slot the record describes.
    public var slot: LoadType { type.slot }

    /// The plan request that re-creates this load.
    public var planRequest: PlanRequest {
        PlanRequest(type: type, commandLine: commandLineRequest, xenReadsUnalignedHeader: xenReadsUnalignedHeader, lockdown: lockdown)
    }

    // MARK: Encoding

    /// The file contents.
    public func encoded() -> String {
        var lines = ["# xen-kexec-load: the image this tool armed in Xen's \(slot.name) slot. Written by the tool; do not edit."]
        func put(_ key: String, _ value: String?) {
            if let value { lines.append("\(key)=\(Self.escape(value))") }
        }
        put("format", String(Self.formatVersion))
        put("type", type.name)
        put("state", state.rawValue)
        put("digest", digest)
        put("kernel", kernel.path)
        put("initrd", initrd?.path)
        put("request_command_line", commandLineRequest.replacement)
        put("request_append", commandLineRequest.append)
        put("request_reuse", commandLineRequest.reuse)
        put("xen_reads_unaligned_header", xenReadsUnalignedHeader ? "1" : "0")
        put("lockdown", lockdown?.rawValue)
        put("acpi_rsdp", acpiRsdp.map { hex($0.address) })
        put("acpi_rsdp_source", acpiRsdp?.source.rawValue)
        put("command_line", commandLine)
        put("segments", String(segmentCount))
        put("loaded_at", String(loadedAt))
        put("xen_status_bit", xenStatusBit ? "1" : "0")
        put("boot_id", bootID)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why a record file could not be read.
    public enum DecodeError: Error, Equatable, Sendable {
        case malformedLine(Int)
        case unsupportedFormat(String)
        case missingKey(String)
        case badValue(key: String, value: String)
    }

    /// Parses ``encoded()`` output.
    public static func decode(_ text: String) throws(DecodeError) -> ArmedImageRecord {
        var fields: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.isEmpty || raw.hasPrefix("#") { continue }
            guard let eq = raw.firstIndex(of: "=") else { throw .malformedLine(i + 1) }
            fields[String(raw[..<eq])] = unescape(String(raw[raw.index(after: eq)...]))
        }
        func need(_ k: String) throws(DecodeError) -> String {
            guard let v = fields[k] else { throw .missingKey(k) }
            return v
        }
        let format = try need("format")
        guard format == String(formatVersion) || format == "1" else { throw .unsupportedFormat(format) }
        let typeName = try need("type")
        guard let type = LoadType(name: typeName) else { throw .badValue(key: "type", value: typeName) }
        let stateName = try need("state")
        guard let state = State(rawValue: stateName) else { throw .badValue(key: "state", value: stateName) }
        let digest = try need("digest")
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else { throw .badValue(key: "digest", value: digest) }
        func int(_ k: String) throws(DecodeError) -> Int64 {
            let v = try need(k)
            guard let n = Int64(v) else { throw .badValue(key: k, value: v) }
            return n
        }
        func flag(_ k: String) throws(DecodeError) -> Bool {
            let v = try need(k)
            guard v == "0" || v == "1" else { throw .badValue(key: k, value: v) }
            return v == "1"
        }
        let initrd = fields["initrd"].map { FileRecord(path: $0) }
        var lockdown: LockdownLevel? = nil
        if let v = fields["lockdown"] {
            guard let level = LockdownLevel(rawValue: v) else { throw .badValue(key: "lockdown", value: v) }
            lockdown = level
        }
        var acpiRsdp: ExplicitAcpiRsdp? = nil
        if let v = fields["acpi_rsdp"] {
            guard v.hasPrefix("0x"), let address = UInt64(v.dropFirst(2), radix: 16) else { throw .badValue(key: "acpi_rsdp", value: v) }
            let s = fields["acpi_rsdp_source"] ?? ""
            guard let source = AcpiRsdpSource(rawValue: s) else { throw .badValue(key: "acpi_rsdp_source", value: s) }
            acpiRsdp = ExplicitAcpiRsdp(address: address, source: source)
        }
        return ArmedImageRecord(
            type: type, digest: digest,
            kernel: FileRecord(path: try need("kernel")),
            initrd: initrd,
            commandLineRequest: CommandLineRequest(
                replacement: fields["request_command_line"], append: fields["request_append"], reuse: fields["request_reuse"]),
            xenReadsUnalignedHeader: try flag("xen_reads_unaligned_header"),
            lockdown: lockdown, acpiRsdp: acpiRsdp,
            commandLine: try need("command_line"),
            segmentCount: Int(try int("segments")),
            loadedAt: try int("loaded_at"),
            xenStatusBit: try flag("xen_status_bit"),
            bootID: fields["boot_id"],
            state: state
        )
    }

    /// Backslash-escapes `\`, newline and carriage return so every value stays on one line.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
