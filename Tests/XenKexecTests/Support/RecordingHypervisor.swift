import KexecImage
import KexecPlan
import SystemPackage
import XenKexec

/// A segment as the fake saw it: what `xc_kexec_load` would have received.
struct RecordedSegment: Equatable, CustomStringConvertible {
    var dest: UInt64
    var destSize: UInt64
    var bufSize: UInt64
    /// SHA-256 (hex) of the buffer bytes; nil for a buffer-less segment.
    var sha256: String?

    var description: String { "seg(\(hex(dest)) +\(destSize) buf \(bufSize) \(sha256?.prefix(8) ?? "-"))" }
}

/// A load as the fake saw it.
struct RecordedLoad: Equatable {
    var type: UInt8
    var arch: UInt16
    var entry: UInt64
    var segments: [RecordedSegment]
}

/// One call on the fake, in order.
enum HypervisorEvent: Equatable {
    case getRange(String)
    case memoryMap
    case commandLine
    case allocate(bytes: Int)
    case load(RecordedLoad)
    case unload(UInt8)
    case exec(UInt8)
    case status(UInt8)

    /// A compact name for sequence assertions that ignore arguments.
    var name: String {
        switch self {
        case .getRange(let k): "range:\(k)"
        case .memoryMap: "memoryMap"
        case .commandLine: "commandLine"
        case .allocate: "allocate"
        case .load(let l): "load:\(l.type)"
        case .unload(let t): "unload:\(t)"
        case .exec(let t): "exec:\(t)"
        case .status(let t): "status:\(t)"
        }
    }
}

/// The recording fake of ``KexecHypervisor``: answers like Xen (crash region, ranges, the
/// status parity bit, slots that keep the last accepted load), records every call with
/// its arguments, and fails calls on demand with forced errnos.
final class RecordingHypervisor: KexecHypervisor {
    var region: AddressRange?
    var memoryMap: [MemoryRange]
    var cpuNotes: [AddressRange]
    var vmcoreInfo: AddressRange?
    var xenImage: AddressRange?
    var xenCommandLine = "console=com1 com1=115200,8n1 crashkernel=256M@1G"

    /// Every call, in order.
    private(set) var events: [HypervisorEvent] = []
    /// Forced failures: each call pops the first errno queued for it (nil = succeed).
    private var forced: [HypervisorCall: [Errno?]] = [:]
    /// Xen's slot-position bits, per slot (0 default, 1 crash).
    private(set) var parity: [UInt8: Bool] = [0: false, 1: false]
    /// What each slot holds (the last accepted load), per slot.
    private(set) var slots: [UInt8: RecordedLoad] = [:]
    /// Set when a crash load was refused after Xen would have copied segments: the image
    /// left in the crash slot may be damaged.
    private(set) var crashSlotDamaged = false

    init(region: AddressRange? = AddressRange(start: 0x4000_0000, size: 0x1000_0000)) {
        self.region = region
        memoryMap = [
            MemoryRange(start: 0, size: 0x9fc00, type: .ram),
            MemoryRange(start: 0x100000, size: 0x7fee_0000, type: .ram),
            MemoryRange(start: 0x7ffe_0000, size: 0x20000, type: .reserved),
        ]
        cpuNotes = [AddressRange(start: 0x7ffc_d700, size: 0x1f4)]
        vmcoreInfo = AddressRange(start: 0x7fd7_c540, size: 0x1000)
        xenImage = AddressRange(start: 0x7fa0_0000, size: 0x3a_6140)
    }

    /// Makes the next `times` calls of `call` fail with `errno`.
    func fail(_ call: HypervisorCall, with errno: Errno, times: Int = 1) {
        forced[call, default: []] += Array(repeating: errno, count: times)
    }

    /// Drops every failure still queued.
    func forgetFailures() {
        forced = [:]
    }

    /// Lets the next call of `call` succeed, then fails the one after with `errno`.
    func failSecond(_ call: HypervisorCall, with errno: Errno) {
        forced[call, default: []] += [nil, errno]
    }

    private func check(_ call: HypervisorCall, type: UInt8? = nil) throws(HypercallFailure) {
        guard var queue = forced[call], !queue.isEmpty else { return }
        let next = queue.removeFirst()
        forced[call] = queue
        if let next { throw HypercallFailure(call, type: type, errno: next) }
    }

    var eventNames: [String] { events.map(\.name) }
    /// The events that are hypercalls (everything but payload allocation, which maps
    /// libxencall's buffer memory and calls nothing in Xen).
    var hypercalls: [HypervisorEvent] {
        events.filter { if case .allocate = $0 { false } else { true } }
    }
    var loads: [RecordedLoad] {
        events.compactMap { if case .load(let l) = $0 { l } else { nil } }
    }

    // MARK: KexecHypervisor

    func crashRegion() throws(HypercallFailure) -> AddressRange? {
        events.append(.getRange("crash"))
        try check(.getRange)
        return region
    }

    func xenImageRange() throws(HypercallFailure) -> AddressRange? {
        events.append(.getRange("xen"))
        try check(.getRange)
        return xenImage
    }

    func vmcoreInfoRange() throws(HypercallFailure) -> AddressRange? {
        events.append(.getRange("vmcoreinfo"))
        try check(.getRange)
        return vmcoreInfo
    }

    func cpuNoteRanges() throws(HypercallFailure) -> [AddressRange] {
        events.append(.getRange("cpu"))
        try check(.getRange)
        return cpuNotes
    }

    func machineMemoryMap() throws(HypercallFailure) -> [MemoryRange] {
        events.append(.memoryMap)
        try check(.machineMemoryMap)
        return memoryMap
    }

    func hypervisorCommandLine() throws(HypercallFailure) -> String {
        events.append(.commandLine)
        try check(.commandLine)
        return xenCommandLine
    }

    func allocatePayload(byteCount: Int) throws(HypercallFailure) -> PayloadBuffer {
        events.append(.allocate(bytes: byteCount))
        try check(.allocate)
        return PayloadBuffer.heap(byteCount: byteCount)
    }

    func load(_ request: KexecLoadRequest) throws(HypercallFailure) {
        let recorded = RecordedLoad(
            type: request.type, arch: request.arch, entry: request.entryMaddr,
            segments: request.segments.map { s in
                RecordedSegment(dest: s.dest, destSize: s.destSize, bufSize: s.bufSize,
                                sha256: s.payload.map { hexDigits($0.sha256()) })
            })
        events.append(.load(recorded))
        let slot: UInt8 = request.type == 0 ? 0 : 1
        do {
            try check(.load, type: request.type)
        } catch {
            // Errnos Xen returns after copying crash segments into the region.
            let late: [Errno] = [.resourceBusy, .noMemory, .invalidArgument, .badAddress]
            // Only an armed image can be damaged: with nothing armed, no image is swapped in.
            if slot == 1 && slots[1] != nil && late.contains(error.errno) { crashSlotDamaged = true }
            throw error
        }
        slots[slot] = recorded
        parity[slot]!.toggle()
        if slot == 1 { crashSlotDamaged = false }
    }

    func unload(type: UInt8) throws(HypercallFailure) {
        events.append(.unload(type))
        try check(.unload, type: type)
        let slot: UInt8 = type == 0 ? 0 : 1
        slots[slot] = nil
        parity[slot]!.toggle()
        if slot == 1 { crashSlotDamaged = false }
    }

    func exec(type: UInt8) throws(HypercallFailure) {
        events.append(.exec(type))
        try check(.exec, type: type)
        if slots[type == 0 ? 0 : 1] == nil { throw HypercallFailure(.exec, type: type, errno: .noSuchFileOrDirectory) }
    }

    func statusBit(type: UInt8) throws(HypercallFailure) -> Bool {
        events.append(.status(type))
        try check(.status, type: type)
        return parity[type == 0 ? 0 : 1]!
    }

    /// What Xen holds: the slots, their status bits and the crash slot's damage.
    struct Held: Equatable {
        var parity: [UInt8: Bool]
        var slots: [UInt8: RecordedLoad]
        var crashSlotDamaged: Bool
    }

    /// What Xen holds now; set by the fault campaign to what a killed process left behind.
    var held: Held {
        get { Held(parity: parity, slots: slots, crashSlotDamaged: crashSlotDamaged) }
        set { (parity, slots, crashSlotDamaged) = (newValue.parity, newValue.slots, newValue.crashSlotDamaged) }
    }

    /// Flips the crash slot as another tool (kexec-tools) loading an image would.
    func simulateForeignLoad() {
        parity[1]!.toggle()
        slots[1] = RecordedLoad(type: 1, arch: 62, entry: 0, segments: [])
    }
}
