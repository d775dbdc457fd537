#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KexecImage
import KexecPlan
import Logging
import SystemPackage
@testable import XenKexec

/// A scratch directory under /tmp, removed by `cleanup()`.
struct ScratchDirectory {
    let path: FilePath

    /// - Parameter base: where to make it (the fault campaign uses a tmpfs: its thousands of
    ///   record writes each `fsync`).
    init(_ name: String = #function, base: String = "/tmp") {
        var template = Array("\(base)/xen-kexec-tests-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = FilePath(String(cString: template))
    }

    /// Writes `bytes` to `name` with `mode`, returns the path.
    @discardableResult
    func file(_ name: String, _ bytes: [UInt8], mode: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]) -> FilePath {
        let p = path.appending(name)
        let fd = try! FileDescriptor.open(p, .writeOnly, options: [.create, .truncate], permissions: mode)
        _ = try! fd.writeAll(bytes)
        try! fd.close()
        chmod(p.string, mode.rawValue)
        return p
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path.string)
    }
}

/// Deterministic bytes.
func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    let b = PayloadBuffer.heap(byteCount: bytes.count)
    b.write(bytes, at: 0)
    return hexDigits(b.sha256())
}

/// A planner that lays out a fixed crash plan: kernel file bytes, initrd, a generated
/// boot_params page and the buffer-less low-memory map, in that order. Its digest is the
/// SHA-256 of the image bytes followed by the request's type (enough to tell plans apart).
/// Its Xen rules refuse with `refusal` while it is set (from call `refusingFromCall` on).
final class ScriptedPlanner: LoadPlanning {
    var calls = 0
    var fail: KexecError?
    var refusal: XenRuleViolation?
    var refusingFromCall = 1
    /// The requests the skipped-preflight verdict was asked about.
    var verdicts: [XenLoadRequest] = []
    /// The generated boot_params bytes (so tests can assert on their hash).
    let bootParams = pattern(4096, seed: 7)

    /// The host description and the request of the last plan.
    var lastHost: HostDescription?
    var lastRequest: PlanRequest?
    /// The pipeline's one parse of the kernel, as handed to the planner.
    var lastParsed: KernelImage?

    func plan<Bytes: RandomAccessCollection & Sendable>(
        image: Bytes, parsed: KernelImage?, initrd: Bytes?, host: HostDescription, request: PlanRequest
    ) throws(KexecError) -> LoadPlan where Bytes.Element == UInt8, Bytes.Index == Int {
        calls += 1
        lastHost = host
        lastRequest = request
        lastParsed = parsed
        if let fail { throw fail }
        if let refusal, calls >= refusingFromCall, !request.skipXenRules { throw .plan(.refusedByXen(refusal)) }
        guard let region = host.crashRegion else { throw .plan(.noCrashRegion) }
        let base = region.start
        var segments = [
            PlannedSegment(role: .kernel, dest: base + 0x20_0000, destSize: UInt64((image.count + 4095) / 4096 * 4096), source: .file(.image, 0..<image.count)),
        ]
        if let initrd {
            segments.append(PlannedSegment(role: .initrd, dest: base + 0x100_0000, destSize: UInt64((initrd.count + 4095) / 4096 * 4096), source: .file(.initrd, 0..<initrd.count)))
        }
        segments.append(PlannedSegment(role: .bootParams, dest: base + 0x1000, destSize: 0x1000, source: .generated(bootParams)))
        segments.append(PlannedSegment(role: .lowMemoryMap, dest: 0, destSize: 0x10_0000, source: .none))
        // Like a real plan digest, it covers every byte loaded from the files.
        let digestInput = Array(image) + (initrd.map { Array($0) } ?? []) + [request.type.rawValue]
        let digestBuffer = PayloadBuffer.heap(byteCount: digestInput.count)
        digestBuffer.write(digestInput, at: 0)
        let digest = PayloadSlice(digestBuffer, range: 0..<digestInput.count).sha256()
        let cmdline = [request.commandLine.replacement, request.commandLine.append].compactMap { $0 }.joined(separator: " ")
        return LoadPlan(type: request.type, entryOrParameters: base + 0x3000, segments: segments, commandLine: cmdline,
                        e820: host.memoryMap, crashRegion: region, digest: digest, kernelEntry: base + 0x20_0200)
    }
}

extension ScriptedPlanner {
    func violation(of request: XenLoadRequest, host: HostDescription, planRequest: PlanRequest) -> XenRuleViolation? {
        verdicts.append(request)
        return refusal
    }
}

/// A violation for scripted refusals.
func violation(_ rule: XenRule, _ detail: String) -> XenRuleViolation {
    XenRuleViolation(hypervisor: .xen417, rule: rule, detail: detail)
}

/// Collects log lines for assertions.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLockLite()
    private var _lines: [(Logger.Level, String)] = []

    var lines: [(Logger.Level, String)] { lock.with { _lines } }

    func append(_ level: Logger.Level, _ message: String) { lock.with { _lines.append((level, message)) } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(collector: self) }
    }

    struct CollectingHandler: LogHandler {
        let collector: LogCollector
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { collector.append(event.level, event.message.description) }
    }
}

/// A tiny mutex over pthread.
final class NSLockLite: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func with<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return body()
    }
}
