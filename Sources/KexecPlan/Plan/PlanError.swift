import KexecImage

/// Why no plan could be made. Every case says what is wrong, how much is needed, and
/// what to change (the image, the command line, or Xen's `crashkernel=` option).
public enum PlanError: Error, Equatable, Sendable {
    /// The image file (bzImage, UKI, ELF envelope) is not a kernel this project can read.
    case kernelImage(KernelImageError)
    /// The kernel cannot be loaded for this load type (each problem names the header field).
    case notLoadable(type: LoadType, problems: [LoadabilityProblem])
    /// Xen reserved no crash region (`KEXEC_RANGE_MA_CRASH` is {0, 0}).
    case noCrashRegion
    /// The crash region cannot hold the plan. `needed` is a lower bound in bytes.
    case crashRegionTooSmall(region: AddressRange, needed: UInt64, detail: String)
    /// The crash region overlaps `[0, 1 MiB)`, which every crash plan maps with a buffer-less segment.
    case crashRegionInLowMemory(region: AddressRange)
    /// The final command line is longer than the kernel's `cmdline_size` (0x238).
    case commandLineTooLong(length: Int, maximum: Int)
    /// The command line contains a NUL byte.
    case commandLineHasNUL
    /// A default (`kexec -l`-like) plan needs Xen's machine memory map.
    case hostMemoryMapMissing
    /// No RAM outside Xen's image and the crash region can hold a segment of a default plan.
    case noRoomInMemory(role: SegmentRole, size: UInt64)
    /// More memory ranges than boot_params' e820 table holds (128).
    case tooManyE820Entries(count: Int)
    /// More segments than Xen takes (15).
    case tooManySegments(count: Int)
    /// An address computation overflowed 64 bits.
    case addressOverflow(String)
    /// An address of the host description lies beyond the host's physical address width.
    case addressBeyondPhysicalWidth(what: String, range: AddressRange, bits: Int)
    /// The host description gives a physical address width no x86-64 host has.
    case invalidPhysicalAddressWidth(bits: Int)
    /// The initrd file is empty: the kernel would get a zero-size initramfs.
    case emptyInitrd
    /// The plan made would be refused by Xen (the violation names the hypervisor profile);
    /// never returned silently.
    case refusedByXen(XenRuleViolation)
    /// The host's ACPI RSDP is missing on a UEFI host, or lies in RAM (``AcpiRsdpCheck``).
    case acpiRsdp(AcpiRsdpProblem)
}

extension PlanError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .kernelImage(let e):
            return "\(e)"
        case .notLoadable(let type, let problems):
            return "the kernel cannot be loaded as \(type.name): " + problems.map(\.description).joined(separator: "; ")
        case .noCrashRegion:
            return "Xen has no crash region (KEXEC_RANGE_MA_CRASH is empty): add crashkernel=SIZE (for example crashkernel=256M) to Xen's command line and reboot"
        case .crashRegionTooSmall(let region, let needed, let detail):
            let what = "the crash region (\(humanSize(region.size)) at \(hex(region.start))) is too small: \(detail); this plan needs at least \(needed) bytes (\(humanSizeUp(needed)))"
            guard let suggest = Self.suggestCrashkernel(needed: needed, base: region.start) else {
                return what + "; no crashkernel= size can hold it (the needed size rounded up to 64 MiB overflows 64 bits): check the kernel's init_size and the initrd"
            }
            return what + "; raise Xen's crashkernel= option, e.g. \(suggest)"
        case .crashRegionInLowMemory(let region):
            return "the crash region starts at \(hex(region.start)), below 1 MiB, where the buffer-less [0, 1 MiB) segment must go; move it with Xen's crashkernel=SIZE@OFFSET (OFFSET >= 16M)"
        case .commandLineTooLong(let length, let maximum):
            return "the command line is \(length) bytes, longer than the kernel's cmdline_size (0x238) of \(maximum) bytes; shorten --append/--command-line"
        case .commandLineHasNUL:
            return "the command line contains a NUL byte"
        case .hostMemoryMapMissing:
            return "a default (kexec -l) plan needs Xen's machine memory map: run in dom0 or pass --host FILE.json from `xen-kexec-load range --json`"
        case .noRoomInMemory(let role, let size):
            return "no RAM outside Xen's image and the crash region can hold the \(role.rawValue) segment (\(size) bytes)"
        case .tooManyE820Entries(let count):
            return "the new kernel's memory map has \(count) entries; boot_params holds at most 128 (SETUP_E820_EXT is not written)"
        case .tooManySegments(let count):
            return "the plan has \(count) segments; Xen takes at most 15"
        case .addressOverflow(let what):
            return "address arithmetic overflowed 64 bits: \(what)"
        case .addressBeyondPhysicalWidth(let what, let range, let bits):
            let end = range.end.map { hex($0) } ?? "beyond 2^64"
            return "the \(what) [\(hex(range.start)), \(end)) lies beyond the host's \(bits)-bit physical address width (addresses below \(hex(PhysicalAddressWidth.limit(bits: bits)))): no x86-64 host has memory there; check --crash-region or the host description"
        case .invalidPhysicalAddressWidth(let bits):
            return "the host description's physicalAddressBits is \(bits); an x86-64 host has \(PhysicalAddressWidth.smallest) to \(PhysicalAddressWidth.architecturalMaximum) (the host's /proc/cpuinfo 'address sizes')"
        case .emptyInitrd:
            return "the initrd is empty (0 bytes): the kernel would boot without an initramfs; give the real initrd file or leave --initrd out"
        case .refusedByXen(let v):
            return "\(v)"
        case .acpiRsdp(let problem):
            return problem.description
        }
    }

    /// A `crashkernel=` value at least `needed` bytes, rounded up to 64 MiB, at the same base;
    /// nil when that rounding overflows 64 bits (no such option exists).
    static func suggestCrashkernel(needed: UInt64, base: UInt64) -> String? {
        let unit: UInt64 = 64 << 20
        guard let size = Checked.alignUp(needed, unit) else { return nil }
        return base == 0 ? "crashkernel=\(humanSize(size))" : "crashkernel=\(humanSize(size))@\(humanSize(base))"
    }
}

/// Size rounded up to whole MiB, e.g. `70M`.
func humanSizeUp(_ v: UInt64) -> String {
    let mib: UInt64 = 1 << 20
    return "\((v / mib) + (v % mib == 0 ? 0 : 1))M"
}
