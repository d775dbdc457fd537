/// What a loader intends to do with a bzImage; each intent has its own requirements.
public enum LoadIntent: String, Sendable, CaseIterable {
    /// A 64-bit kexec through a purgatory (KEXEC_TYPE_DEFAULT / KEXEC_TYPE_CRASH):
    /// protocol ≥ 2.12, LOADED_HIGH, XLF_KERNEL_64 and XLF_CAN_BE_LOADED_ABOVE_4G,
    /// like kexec-tools' `bzImage64_probe`.
    case classic64
    /// Xen's KEXEC_TYPE_CRASH_EFI: everything `classic64` needs (the crash kernel is
    /// entered at `startup_64`), a relocatable kernel, `kernel_alignment` a multiple of
    /// 2 MiB in [2, 16] MiB, and — for the v2 patch as posted — kern16 a multiple of 4 KiB.
    case xenCrashEFI
}

/// One reason a parsed bzImage cannot be loaded for an intent. Each names the
/// setup-header field, its offset and what was expected.
public enum LoadabilityProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case protocolTooOld(version: UInt16, minimum: UInt16)
    case notLoadedHigh(loadflags: UInt8)
    case no64BitEntry(xloadflags: UInt16)
    case notLoadableAbove4G(xloadflags: UInt16)
    case notRelocatable
    case kernelAlignmentInvalidForXenEFI(UInt32)
    /// `kernel_alignment` (2.05+) is 0 or not a power of two: no load address can honour it.
    case kernelAlignmentNotPowerOfTwo(UInt32)
    case kern16NotPageMultiple(kern16Size: Int)
    case initSizeZero

    public var field: String {
        switch self {
        case .protocolTooOld: "version"
        case .notLoadedHigh: "loadflags"
        case .no64BitEntry, .notLoadableAbove4G: "xloadflags"
        case .notRelocatable: "relocatable_kernel"
        case .kernelAlignmentInvalidForXenEFI, .kernelAlignmentNotPowerOfTwo: "kernel_alignment"
        case .kern16NotPageMultiple: "setup_sects"
        case .initSizeZero: "init_size"
        }
    }

    public var offset: Int {
        switch self {
        case .protocolTooOld: 0x206
        case .notLoadedHigh: 0x211
        case .no64BitEntry, .notLoadableAbove4G: 0x236
        case .notRelocatable: 0x234
        case .kernelAlignmentInvalidForXenEFI, .kernelAlignmentNotPowerOfTwo: 0x230
        case .kern16NotPageMultiple: 0x1F1
        case .initSizeZero: 0x260
        }
    }

    public var description: String {
        switch self {
        case .protocolTooOld(let v, let min):
            "boot protocol \(hex(v)) at 0x206 is older than \(hex(min)), which a 64-bit kexec needs"
        case .notLoadedHigh(let f):
            "loadflags at 0x211 is \(hex(f)): LOADED_HIGH (bit 0) is not set"
        case .no64BitEntry(let f):
            "xloadflags at 0x236 is \(hex(f)): XLF_KERNEL_64 is not set, the kernel has no 64-bit entry (a 32-bit kernel?)"
        case .notLoadableAbove4G(let f):
            "xloadflags at 0x236 is \(hex(f)): XLF_CAN_BE_LOADED_ABOVE_4G is not set"
        case .notRelocatable:
            "relocatable_kernel at 0x234 is 0: Xen places the crash kernel at an address it chooses, the kernel must be relocatable"
        case .kernelAlignmentInvalidForXenEFI(let a):
            "kernel_alignment at 0x230 is \(hex(a)); KEXEC_TYPE_CRASH_EFI needs a multiple of 2 MiB between 0x200000 and 0x1000000"
        case .kernelAlignmentNotPowerOfTwo(let a):
            "kernel_alignment at 0x230 is \(hex(a)), expected a non-zero power of two (the load address is aligned to it)"
        case .kern16NotPageMultiple(let k):
            "the real-mode part (setup_sects at 0x1f1) is \(hex(k)) bytes, not a multiple of 4 KiB; the v2 Xen patch reads the header at the page start and would refuse it (pass --xen-reads-unaligned-header if your Xen reads at the right offset)"
        case .initSizeZero:
            "init_size at 0x260 is 0; the loader cannot know how much memory the kernel needs"
        }
    }
}

extension BzImage {
    /// Every reason this image cannot be loaded for `intent` (empty when it can).
    ///
    /// - Parameter xenReadsUnalignedHeader: the hypervisor reads segment 0's header at its
    ///   in-page offset (not the v2 patch as posted), so kern16 need not be a page multiple.
    public func problems(for intent: LoadIntent, xenReadsUnalignedHeader: Bool = false) -> [LoadabilityProblem] {
        var out: [LoadabilityProblem] = []
        let h = header
        if h.version < SetupHeader.minimumVersionFor64BitLoad {
            out.append(.protocolTooOld(version: h.version, minimum: SetupHeader.minimumVersionFor64BitLoad))
        }
        if !loadsHigh { out.append(.notLoadedHigh(loadflags: h.loadflags)) }
        if !has64BitEntry { out.append(.no64BitEntry(xloadflags: h.xloadflags.rawValue)) }
        if !loadableAbove4G { out.append(.notLoadableAbove4G(xloadflags: h.xloadflags.rawValue)) }
        if h.initSize == 0 { out.append(.initSizeZero) }
        if h.version >= 0x0205 && (h.kernelAlignment == 0 || h.kernelAlignment & (h.kernelAlignment - 1) != 0) {
            out.append(.kernelAlignmentNotPowerOfTwo(h.kernelAlignment))
        }
        if intent == .xenCrashEFI {
            if !isRelocatable { out.append(.notRelocatable) }
            if !XenEFIHeaderRule.acceptsAlignment(h.kernelAlignment) { out.append(.kernelAlignmentInvalidForXenEFI(h.kernelAlignment)) }
            if !xenReadsUnalignedHeader && !kern16IsPageMultiple { out.append(.kern16NotPageMultiple(kern16Size: kern16Size)) }
        }
        return out
    }
}
