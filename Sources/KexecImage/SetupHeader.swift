/// The x86 Linux boot protocol's `struct setup_header`, read from a bzImage file.
///
/// Offsets are file offsets, which are also the offsets inside `struct boot_params`
/// (Linux `Documentation/arch/x86/boot.rst`, `arch/x86/include/uapi/asm/bootparam.h`).
/// Fields that the image's protocol `version` predates read as the protocol's default
/// (mostly 0), so callers never see bytes that belong to something else.
public struct SetupHeader: Equatable, Sendable {
    /// First byte of the setup header in the file and in boot_params.
    public static let offset = 0x1F1
    /// `"HdrS"` read as a little-endian u32 at 0x202.
    public static let magic: UInt32 = 0x5372_6448
    /// `boot_flag` value at 0x1FE.
    public static let bootFlagValue: UInt16 = 0xAA55

    /// 0x1F1, u8: size of the real-mode setup in 512-byte sectors, minus one; 0 means 4.
    public var setupSects: UInt8
    /// 0x1F2, u16: obsolete root read-only flag.
    public var rootFlags: UInt16
    /// 0x1F4, u32 (2.04+): size of the protected-mode code in 16-byte paragraphs.
    public var syssize: UInt32
    /// 0x1FA, u16: video mode.
    public var vidMode: UInt16
    /// 0x1FC, u16: default root device.
    public var rootDev: UInt16
    /// 0x1FE, u16: must be 0xAA55.
    public var bootFlag: UInt16
    /// 0x200, u16: the jump instruction; its second byte bounds the header (`0x202 + byte[0x201]`).
    public var jump: UInt16
    /// 0x202, u32: magic `"HdrS"`.
    public var header: UInt32
    /// 0x206, u16: boot protocol version, `(major << 8) | minor`.
    public var version: UInt16
    /// 0x20E, u16: pointer to the kernel version string, minus 0x200.
    public var kernelVersionOffset: UInt16
    /// 0x210, u8: written by the loader (kexec-tools writes 0xD0).
    public var typeOfLoader: UInt8
    /// 0x211, u8: bit 0 LOADED_HIGH, bit 1 KASLR, bit 5 QUIET, bit 6 KEEP_SEGMENTS, bit 7 CAN_USE_HEAP.
    public var loadflags: UInt8
    /// 0x214, u32: 32-bit entry / load address of the protected-mode part (default 0x100000).
    public var code32Start: UInt32
    /// 0x218, u32: initrd load address, low 32 bits (written by the loader).
    public var ramdiskImage: UInt32
    /// 0x21C, u32: initrd size (written by the loader).
    public var ramdiskSize: UInt32
    /// 0x224, u16 (2.01+): end of the setup heap.
    public var heapEndPtr: UInt16
    /// 0x228, u32 (2.02+): command line address, low 32 bits (written by the loader).
    public var cmdLinePtr: UInt32
    /// 0x22C, u32 (2.03+): highest address the initrd may occupy; 0x37FFFFFF before 2.03.
    public var initrdAddrMax: UInt32
    /// 0x230, u32 (2.05+): physical alignment the kernel needs (`CONFIG_PHYSICAL_ALIGN`).
    public var kernelAlignment: UInt32
    /// 0x234, u8 (2.05+): non-zero if the kernel is relocatable.
    public var relocatableKernel: UInt8
    /// 0x235, u8 (2.10+): log2 of the minimum alignment the kernel accepts.
    public var minAlignment: UInt8
    /// 0x236, u16 (2.12+): extended load flags.
    public var xloadflags: XLoadFlags
    /// 0x238, u32 (2.06+): maximum command line length, excluding the NUL; 255 before 2.06.
    public var cmdlineSize: UInt32
    /// 0x23C, u32 (2.07+): hardware subarchitecture (0 PC, 2 Xen, …).
    public var hardwareSubarch: UInt32
    /// 0x248, u32 (2.08+): offset of the compressed payload from the protected-mode start.
    public var payloadOffset: UInt32
    /// 0x24C, u32 (2.08+): length of the compressed payload.
    public var payloadLength: UInt32
    /// 0x250, u64 (2.09+): physical address of the first `setup_data` (written by the loader).
    public var setupData: UInt64
    /// 0x258, u64 (2.10+): preferred load address.
    public var prefAddress: UInt64
    /// 0x260, u32 (2.10+): bytes the kernel needs from its load address to run (decompression included).
    public var initSize: UInt32
    /// 0x264, u32 (2.11+): EFI handover entry offset (deprecated).
    public var handoverOffset: UInt32
    /// 0x268, u32 (2.15+): offset of `kernel_info` in the protected-mode part.
    public var kernelInfoOffset: UInt32

    /// The protocol minimum this project's loaders require (64-bit fields, `init_size`).
    public static let minimumVersionFor64BitLoad: UInt16 = 0x020C
    /// The minimum Xen's KEXEC_TYPE_CRASH_EFI check accepts (v2 5/7).
    public static let minimumVersionForXenEFI: UInt16 = 0x0202

    /// `setup_sects`, with the boot protocol's rule that 0 means 4.
    public var effectiveSetupSects: Int { setupSects == 0 ? 4 : Int(setupSects) }

    /// Size of the real-mode part ("kern16"): `(setup_sects + 1) * 512` bytes. The protected-mode
    /// kernel starts at this file offset.
    public var kern16Size: Int { (effectiveSetupSects + 1) * 512 }

    /// Major and minor protocol version, e.g. "2.15".
    public var versionString: String { "\(version >> 8).\(version & 0xFF)" }

    /// End of the header as the image declares it: `0x202 + byte[0x201]` (the jump's reach).
    public var declaredEnd: Int { 0x202 + Int(jump >> 8) }
}

/// `xloadflags` (setup header 0x236, protocol 2.12+).
public struct XLoadFlags: OptionSet, Equatable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Bit 0: the kernel has the 64-bit entry point at load address + 0x200.
    public static let kernel64 = XLoadFlags(rawValue: 1 << 0)
    /// Bit 1: kernel, boot_params, command line and initrd may live above 4 GiB.
    public static let canBeLoadedAbove4G = XLoadFlags(rawValue: 1 << 1)
    /// Bit 2: 32-bit EFI handover entry.
    public static let efiHandover32 = XLoadFlags(rawValue: 1 << 2)
    /// Bit 3: 64-bit EFI handover entry.
    public static let efiHandover64 = XLoadFlags(rawValue: 1 << 3)
    /// Bit 4: the kernel accepts EFI runtime information on kexec.
    public static let efiKexec = XLoadFlags(rawValue: 1 << 4)
    /// Bit 5: the kernel supports 5-level paging.
    public static let fiveLevel = XLoadFlags(rawValue: 1 << 5)
    /// Bit 6: 5-level paging is enabled in the kernel.
    public static let fiveLevelEnabled = XLoadFlags(rawValue: 1 << 6)

    /// Every flag with its boot-protocol name (`XLF_*`), in bit order.
    public static let named: [(XLoadFlags, String)] = [
        (.kernel64, "XLF_KERNEL_64"),
        (.canBeLoadedAbove4G, "XLF_CAN_BE_LOADED_ABOVE_4G"),
        (.efiHandover32, "XLF_EFI_HANDOVER_32"),
        (.efiHandover64, "XLF_EFI_HANDOVER_64"),
        (.efiKexec, "XLF_EFI_KEXEC"),
        (.fiveLevel, "XLF_5LEVEL"),
        (.fiveLevelEnabled, "XLF_5LEVEL_ENABLED"),
    ]

    /// Names of the set flags, plus `bitN` for unknown bits.
    public var names: [String] {
        var out = Self.named.filter { contains($0.0) }.map(\.1)
        for bit in 7..<16 where rawValue & (1 << bit) != 0 { out.append("bit\(bit)") }
        return out
    }
}
