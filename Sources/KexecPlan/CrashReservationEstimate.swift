import KexecImage

/// The size of the crash region to ask Xen for (`crashkernel=` on Xen's command line; under
/// Xen, dom0's own `crashkernel=` reserves nothing): what the crash kernel and its initrd
/// need to boot and write a dump of this host, part by part.
///
/// - kernel: the bzImage's `init_size` (setup header 0x260, boot protocol 2.10+: the memory
///   the kernel needs from its load address while it decompresses and runs), rounded up to
///   its `kernel_alignment` (0x230), plus one alignment unit of placement slack;
/// - initrd: the file, held until the kernel frees it (Linux `init/initramfs.c`,
///   `populate_rootfs`), and its unpacked contents in the root file system
///   (``InitramfsSize``); compressed bytes whose format does not record their size count
///   ``assumedRatio`` times;
/// - runtime: ``runtime`` for the kernel's own allocations and the dump's user space, the
///   figure `kdumpctl estimate` (Fedora kexec-tools) uses;
/// - makedumpfile's bitmaps: two bits per 4 KiB page of the host's RAM (Xen's machine
///   memory, not dom0's), the most its two page bitmaps take (makedumpfile.c,
///   `prepare_bitmap_buffer`; cyclic mode takes less);
/// - loader segments: 1 MiB for purgatory, boot_params, command line and ELF core header;
/// - struct page: 64 bytes per 4 KiB page of the region itself (Linux
///   `include/linux/mm_types.h`, x86-64), so the total is the rest times 64/63;
///
/// rounded up to 16 MiB. The corresponding Xen option is `crashkernel=<size>M`
/// (`xen/common/kexec.c`, `parse_crashkernel`).
public struct CrashReservationEstimate: Equatable, Sendable {
    /// One addend, with how it was found.
    public struct Part: Equatable, Sendable {
        public var name: String
        public var bytes: UInt64
        public var how: String
    }

    public var parts: [Part]
    /// The reservation, a multiple of 16 MiB.
    public var total: UInt64

    /// Xen's command-line word.
    public var xenOption: String { "crashkernel=\(total >> 20)M" }

    public static let runtime: UInt64 = 64 << 20
    public static let assumedRatio: UInt64 = 4
    public static let loaderSegments: UInt64 = 1 << 20
    static let granule: UInt64 = 16 << 20
    static let mib: UInt64 = 1 << 20

    /// The estimate for `kernel` (its setup header), `initrd` (measured, or none) and a host
    /// with `hostRAM` bytes of RAM in Xen's machine memory map.
    public static func estimate(kernel: SetupHeader, initrd: InitramfsSize?, hostRAM: UInt64) -> CrashReservationEstimate {
        let alignment = max(UInt64(kernel.kernelAlignment), 4096)
        let initSize = (UInt64(kernel.initSize) + alignment - 1) / alignment * alignment
        var parts = [
            Part(name: "kernel", bytes: initSize + alignment,
                 how: "init_size \(mb(UInt64(kernel.initSize))) rounded up to kernel_alignment \(mb(alignment)), plus one alignment of slack")
        ]
        if let i = initrd {
            parts.append(Part(name: "initrd file", bytes: i.fileSize, how: "held until the kernel frees it"))
            var unpacked = i.unpackedKnown
            var how = "cpio entries and recorded sizes (gzip ISIZE, zstd Frame_Content_Size): \(mb(i.unpackedKnown))"
            if let u = i.unsized {
                unpacked += u.bytes * assumedRatio
                how += "; \(mb(u.bytes)) of \(u.compression) records no size: counted \(assumedRatio)x"
            }
            parts.append(Part(name: "initrd unpacked", bytes: unpacked, how: how))
        }
        parts.append(Part(name: "runtime", bytes: runtime, how: "kernel allocations and the dump's user space (kdumpctl estimate's runtime_size)"))
        let bitmaps = (hostRAM / 4096 * 2 + 7) / 8
        parts.append(Part(name: "makedumpfile bitmaps", bytes: bitmaps, how: "2 bits per 4 KiB page of \(gib(hostRAM)) host RAM"))
        parts.append(Part(name: "loader segments", bytes: loaderSegments, how: "purgatory, boot_params, command line, ELF core header"))
        let rest = parts.reduce(0) { $0 + $1.bytes }
        let withPages = (rest * 64 + 62) / 63
        parts.append(Part(name: "struct page", bytes: withPages - rest, how: "64 bytes per 4 KiB page of the region"))
        let total = (withPages + granule - 1) / granule * granule
        return CrashReservationEstimate(parts: parts, total: total)
    }

    /// The x86_64 default of Fedora's and RHEL 9's kdump (`kdumpctl get-default-crashkernel`:
    /// `1G-4G:192M,4G-64G:256M,64G-:512M`) for a machine with `hostRAM`; `nil` below 1 GiB,
    /// where it reserves nothing. For comparison only: it sizes a bare-metal kernel's region.
    public static func kdumpctlDefault(hostRAM: UInt64) -> UInt64? {
        let gibibyte: UInt64 = 1 << 30
        switch hostRAM {
        case ..<gibibyte: return nil
        case ..<(4 * gibibyte): return 192 * mib
        case ..<(64 * gibibyte): return 256 * mib
        default: return 512 * mib
        }
    }

    public static func mb(_ v: UInt64) -> String { "\((v + mib - 1) / mib) MiB" }
    static func gib(_ v: UInt64) -> String {
        v % (1 << 30) == 0 ? "\(v >> 30) GiB" : "\((v + mib - 1) / mib) MiB"
    }
}
