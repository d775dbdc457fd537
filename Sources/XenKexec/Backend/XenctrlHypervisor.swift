import CXenCtrl
#if canImport(Glibc)
import Glibc
#endif
import KexecPlan
import Logging
import SystemPackage

// The libxenctrl boundary: every C call and every pointer handed to C in this package is in
// this file (the payload memory's own accessors are in PayloadBuffer.swift). Each unsafe
// step says why it is sound.

/// An open `xc_interface` and the logger it uses; closed when the last user (the hypervisor
/// object or an outstanding payload buffer) goes away.
final class XenctrlInterface: @unchecked Sendable {
    // @unchecked Sendable: libxenctrl handles may be used from one thread at a time; the
    // tool drives them from a single thread and only the release closures hold extra refs.
    let xch: OpaquePointer
    private let log: LibxenctrlLog

    init(xch: OpaquePointer, log: LibxenctrlLog) {
        self.xch = xch
        self.log = log
    }

    deinit {
        // SAFETY: the handle is open (we own it) and nothing uses it after this; the logger
        // outlives the handle that refers to it and is destroyed last.
        xc_interface_close(xch)
        log.destroy()
    }
}

/// libxenctrl's logger: a xentoollog stdio stream on a duplicate of stderr that prints
/// nothing unless `-vv` asked for libxenctrl's own messages (the tool reports failures
/// itself, from errno, in one line).
struct LibxenctrlLog {
    let logger: UnsafeMutablePointer<xentoollog_logger>
    let file: UnsafeMutablePointer<FILE>

    init?(verbose: Bool) {
        let fd = dup(2)
        guard fd >= 0 else { return nil }
        // SAFETY: fdopen takes ownership of the duplicated descriptor (closed by fclose).
        guard let file = fdopen(fd, "w") else {
            close(fd)
            return nil
        }
        // Levels below `min_level` are dropped; XTL_NUM_LEVELS drops everything.
        let minimum = verbose ? XTL_DETAIL : XTL_NUM_LEVELS
        // SAFETY: `file` is a valid stream that outlives the logger (destroyed first).
        guard let stream = xtl_createlogger_stdiostream(file, minimum, 0) else {
            fclose(file)
            return nil
        }
        // SAFETY: a xentoollog_logger_stdiostream starts with its xentoollog_logger vtable
        // (XTL_NEW_LOGGER), so the pointer converts as libxenctrl's own callers do.
        self.logger = UnsafeMutablePointer<xentoollog_logger>(stream)
        self.file = file
    }

    func destroy() {
        // SAFETY: called once, after the interface that used the logger was closed.
        xtl_logger_destroy(logger)
        fclose(file)
    }
}

/// Carries a filled-in `xc_hypercall_buffer_t` to the release closure.
private struct HypercallBufferRecord: @unchecked Sendable {
    // @unchecked Sendable: used once, by the release closure, after all other uses ended.
    var buffer: xc_hypercall_buffer_t
    let pages: Int32
}

/// ``KexecHypervisor`` over Debian's libxenctrl (`libxenctrl.so.4.17`).
public final class XenctrlHypervisor: KexecHypervisor {
    private let interface: XenctrlInterface

    private init(interface: XenctrlInterface) {
        self.interface = interface
    }

    /// Checks that this host is a usable dom0 (before libxenctrl can print anything) and
    /// opens libxenctrl with a logger that forwards its messages to the debug log.
    ///
    /// The corresponding C function is `xc_interface_open`.
    public static func open(
        observation: XenHostObservation = Dom0.live.xenHost(), verboseLibxenctrl: Bool = false
    ) throws(KexecError) -> XenctrlHypervisor {
        if let problem = XenAccessProblem.check(observation) { throw .hostUnavailable(problem) }
        guard let log = LibxenctrlLog(verbose: verboseLibxenctrl) else { throw .interfaceOpenFailed(.last) }
        // SAFETY: the logger stays valid until XenctrlInterface.deinit, after the close.
        guard let xch = xc_interface_open(log.logger, log.logger, 0) else {
            let e = Errno.last
            log.destroy()
            throw .interfaceOpenFailed(e)
        }
        return XenctrlHypervisor(interface: XenctrlInterface(xch: xch, log: log))
    }

    private var xch: OpaquePointer { interface.xch }

    // MARK: Ranges

    /// `xc_kexec_get_range(range, nr)` → `(start, size)`.
    private func range(_ kind: Int32, nr: Int32 = 0) throws(HypercallFailure) -> (start: UInt64, size: UInt64) {
        var size: UInt64 = 0
        var start: UInt64 = 0
        // SAFETY: both out-parameters are locals that outlive the call.
        if xc_kexec_get_range(xch, kind, nr, &size, &start) != 0 {
            throw HypercallFailure(.getRange, errno: .last)
        }
        return (start, size)
    }

    private func optionalRange(_ kind: Int32) throws(HypercallFailure) -> AddressRange? {
        let r = try range(kind)
        return r.size == 0 ? nil : AddressRange(start: r.start, size: r.size)
    }

    public func crashRegion() throws(HypercallFailure) -> AddressRange? {
        try optionalRange(KEXEC_RANGE_MA_CRASH)
    }

    public func xenImageRange() throws(HypercallFailure) -> AddressRange? {
        try optionalRange(KEXEC_RANGE_MA_XEN)
    }

    public func vmcoreInfoRange() throws(HypercallFailure) -> AddressRange? {
        do { return try optionalRange(KEXEC_RANGE_MA_VMCOREINFO) } catch where error.errno == .invalidArgument { return nil }
    }

    public func cpuNoteRanges() throws(HypercallFailure) -> [AddressRange] {
        var notes: [AddressRange] = []
        for cpu in Int32(0)..<4096 {
            do {
                let r = try range(KEXEC_RANGE_MA_CPU, nr: cpu)
                if r.size != 0 { notes.append(AddressRange(start: r.start, size: r.size)) }
            } catch where error.errno == .outOfRange {
                break
            } catch where error.errno == .invalidArgument {
                continue
            }
        }
        return notes
    }

    public func machineMemoryMap() throws(HypercallFailure) -> [MemoryRange] {
        let capacity = 1024
        var entries = [e820entry](repeating: e820entry(), count: capacity)
        // SAFETY: the array has `capacity` entries and libxenctrl writes at most that many
        // (it bounces the buffer through hypercall memory itself).
        let n = entries.withUnsafeMutableBufferPointer { xc_get_machine_memory_map(xch, $0.baseAddress, UInt32(capacity)) }
        guard n >= 0 else { throw HypercallFailure(.machineMemoryMap, errno: .last) }
        return entries.prefix(Int(n)).map {
            MemoryRange(range: AddressRange(start: $0.addr, size: $0.size), rawType: $0.type)
        }
    }

    public func hypervisorCommandLine() throws(HypercallFailure) -> String {
        var text = [CChar](repeating: 0, count: 1024)
        // SAFETY: XENVER_commandline writes a `xen_commandline_t` (char[1024]); our array has
        // exactly that size and libxenctrl bounces it.
        let rc = text.withUnsafeMutableBytes { xc_version(xch, XENVER_commandline, $0.baseAddress) }
        guard rc >= 0 else { throw HypercallFailure(.commandLine, errno: .last) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Payload memory

    /// Hypercall memory from libxenctrl when it can give it; otherwise locked, fork-private
    /// anonymous memory. Linux's `/dev/xen/hypercall` (privcmd-buf) hands out at most 64
    /// pages per open file by default, far less than a kernel, and libxencall does not fall
    /// back by itself; locked anonymous memory is what libxencall uses when that device is
    /// absent, and Xen reads it with `copy_from_guest` in a PV dom0.
    public func allocatePayload(byteCount: Int) throws(HypercallFailure) -> PayloadBuffer {
        let pages = max(1, (byteCount + 4095) / 4096)
        guard pages <= Int(Int32.max) else { throw HypercallFailure(.allocate, errno: .noMemory) }
        if let buffer = hypercallPages(pages, byteCount: byteCount) { return buffer }
        return try lockedPages(pages, byteCount: byteCount)
    }

    /// The largest allocation (in pages) libxencall's buffer cache may hand back used: Xen
    /// 4.17–4.20 cache single pages, a later change up to four (tools/libs/call/buffer.c,
    /// `cache_alloc`). Larger allocations are fresh pages the kernel zeroed (Linux
    /// drivers/xen/privcmd-buf.c, `alloc_page(GFP_KERNEL | __GFP_ZERO)`; libxencall's own
    /// fallback maps anonymous memory), so zeroing them again would only cost a pass over
    /// the payload.
    static let cachedBufferPages = 4

    private func hypercallPages(_ pages: Int, byteCount: Int) -> PayloadBuffer? {
        // The DECLARE_HYPERCALL_BUFFER macro does not import: build the same zeroed record
        // with `ubuf = (void *)-1` by hand.
        var record = HypercallBufferRecord(
            buffer: xc_hypercall_buffer_t(hbuf: nil, param_shadow: nil, dir: 0, ubuf: UnsafeMutableRawPointer(bitPattern: -1), sz: 0),
            pages: Int32(pages))
        // SAFETY: `record.buffer` is a valid, zeroed hypercall-buffer record; on success
        // libxenctrl stores the allocation in it and returns the same pointer.
        guard let base = xc__hypercall_buffer_alloc_pages(xch, &record.buffer, record.pages) else { return nil }
        if pages <= Self.cachedBufferPages {
            // SAFETY: `pages * 4096` bytes starting at `base` belong to us until freed; zero
            // them, since libxencall's buffer cache may hand back pages used before.
            base.initializeMemory(as: UInt8.self, repeating: 0, count: pages * 4096)
        }
        let interface = self.interface
        let allocation = record
        return PayloadBuffer(adopting: base, byteCount: byteCount, origin: .hypercall) { _ in
            var r = allocation
            // SAFETY: frees exactly the allocation made above, once (PayloadBuffer.deinit),
            // with the interface kept alive by this closure.
            xc__hypercall_buffer_free_pages(interface.xch, &r.buffer, r.pages)
        }
    }

    private func lockedPages(_ pages: Int, byteCount: Int) throws(HypercallFailure) -> PayloadBuffer {
        let size = pages * 4096
        // SAFETY: a fresh private anonymous mapping of `size` bytes (zero-filled by the
        // kernel), locked in memory; nothing else refers to it.
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0)
        guard let p, p != MAP_FAILED else { throw HypercallFailure(.allocate, errno: .last) }
        // SAFETY: same mapping; a forked child must not share (copy-on-write) pages Xen reads.
        if madvise(p, size, MADV_DONTFORK) != 0 {
            let e = Errno.last
            munmap(p, size)
            throw HypercallFailure(.allocate, errno: e)
        }
        return PayloadBuffer(adopting: p, byteCount: byteCount, origin: .lockedMemory) { base in
            // SAFETY: unmaps exactly the mapping made above, once (PayloadBuffer.deinit).
            munmap(base, size)
        }
    }

    // MARK: Load, unload, exec, status

    public func load(_ request: KexecLoadRequest, buffers: SegmentBuffers) throws(HypercallFailure) {
        // Buffers made for another request are refused here, before any hypercall.
        guard buffers.fit(request) else { throw HypercallFailure(.load, type: request.type, errno: .invalidArgument) }
        var segments: [xen_kexec_segment_t] = zip(request.segments, buffers.slices).map { s, slice in
            var x = xen_kexec_segment_t()
            if let p = slice {
                // SAFETY: the address stays valid while `buffers` (which holds the buffer)
                // lives; `withExtendedLifetime` below keeps it alive across the hypercall.
                x.buf.h.p = UnsafeRawPointer(p.buffer.addressForHypercall.advanced(by: p.range.lowerBound))
            }
            x.buf_size = s.bufSize
            x.dest_maddr = s.dest
            x.dest_size = s.destSize
            return x
        }
        let rc = withExtendedLifetime(buffers) {
            // SAFETY: the segment array is ours for the call (libxenctrl bounces it); each
            // `buf.h` points into hypercall memory owned by `buffers`, alive across the call.
            segments.withUnsafeMutableBufferPointer {
                xc_kexec_load(xch, request.type, request.arch, request.entryMaddr, UInt32($0.count), $0.baseAddress)
            }
        }
        if rc != 0 { throw HypercallFailure(.load, type: request.type, errno: .last) }
    }

    public func unload(type: UInt8) throws(HypercallFailure) {
        if xc_kexec_unload(xch, Int32(type)) != 0 { throw HypercallFailure(.unload, type: type, errno: .last) }
    }

    public func exec(type: UInt8) throws(HypercallFailure) {
        if xc_kexec_exec(xch, Int32(type)) != 0 { throw HypercallFailure(.exec, type: type, errno: .last) }
    }

    public func statusBit(type: UInt8) throws(HypercallFailure) -> Bool {
        let rc = xc_kexec_status(xch, Int32(type))
        guard rc >= 0 else { throw HypercallFailure(.status, type: type, errno: .last) }
        return rc != 0
    }
}
