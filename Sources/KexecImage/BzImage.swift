/// A Linux x86 bzImage: its setup header and what a kexec loader derives from it.
///
/// Parsing checks only what makes the file a bzImage at all (size, `boot_flag`, `HdrS`,
/// the real-mode part inside the file). Whether a 64-bit loader or Xen's
/// KEXEC_TYPE_CRASH_EFI can load it is a separate verdict (`problems(for:)`), so
/// `inspect` can describe a 32-bit kernel instead of only refusing it.
public struct BzImage: Equatable, Sendable {
    /// The setup header as read from the file.
    public let header: SetupHeader
    /// Size of the whole image file in bytes.
    public let fileSize: Int

    /// Offset of the 64-bit entry point from the protected-mode load address (`startup_64`).
    public static let entry64Offset = 0x200

    /// Size of the real-mode part; the protected-mode kernel starts at this file offset.
    public var kern16Size: Int { header.kern16Size }
    /// File offset of the protected-mode part.
    public var protectedModeOffset: Int { header.kern16Size }
    /// Size of the protected-mode part (everything after the real-mode part).
    public var protectedModeSize: Int { fileSize - header.kern16Size }

    /// `XLF_KERNEL_64`: the kernel has a 64-bit entry at load address + 0x200.
    public var has64BitEntry: Bool { header.xloadflags.contains(.kernel64) }
    /// `XLF_CAN_BE_LOADED_ABOVE_4G`.
    public var loadableAbove4G: Bool { header.xloadflags.contains(.canBeLoadedAbove4G) }
    /// `relocatable_kernel` non-zero.
    public var isRelocatable: Bool { header.relocatableKernel != 0 }
    /// `loadflags` bit 0 (LOADED_HIGH): protected-mode code loads at 0x100000 or relocates.
    public var loadsHigh: Bool { header.loadflags & 1 != 0 }
    /// Xen's KEXEC_TYPE_CRASH_EFI rule: `kernel_alignment` a multiple of 2 MiB in [2 MiB, 16 MiB].
    public var kernelAlignmentValidForXenEFI: Bool { Self.isValidXenEFIAlignment(header.kernelAlignment) }
    /// The v2 Xen patch reads the header at the start of segment 0's page, so segment 0
    /// must be page aligned, which holds exactly when kern16 is a multiple of 4 KiB.
    public var kern16IsPageMultiple: Bool { kern16Size % 4096 == 0 }

    /// Xen v2 5/7: `kernel_alignment % 2 MiB == 0`, `>= 2 MiB`, `<= 16 MiB`.
    public static func isValidXenEFIAlignment(_ alignment: UInt32) -> Bool {
        XenEFIHeaderRule.acceptsAlignment(alignment)
    }

    /// Parses the setup header of a bzImage held in `bytes` (the whole file, or at least
    /// its first `max(0x26C, kern16)` bytes with `fileSize` giving the real size).
    ///
    /// - Parameter fileSize: the file's size when `bytes` is only a prefix; defaults to `bytes.count`.
    public static func parse<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, fileSize: Int? = nil
    ) throws(BzImageError) -> BzImage where Bytes.Element == UInt8, Bytes.Index == Int {
        let r = ByteReader(bytes)
        let size = fileSize ?? bytes.count
        return try mappingTruncation(BzImageError.truncated, field: "setup_header", offset: 0x1F1, available: size) {
            let bootFlag = try r.u16(0x1FE, "boot_flag")
            guard bootFlag == SetupHeader.bootFlagValue else { throw BzImageError.badBootFlag(found: bootFlag) }
            let magic = try r.u32(0x202, "header")
            guard magic == SetupHeader.magic else { throw BzImageError.badMagic(found: magic) }
            let version = try r.u16(0x206, "version")
            // Fields newer than the image's protocol read as the protocol's defaults.
            func since<T: FixedWidthInteger>(_ v: UInt16, _ value: @autoclosure () throws(ByteReaderError) -> T, default d: T = 0) throws(ByteReaderError) -> T {
                version >= v ? try value() : d
            }
            let h = SetupHeader(
                setupSects: try r.u8(0x1F1, "setup_sects"),
                rootFlags: try r.u16(0x1F2, "root_flags"),
                syssize: try since(0x0204, try r.u32(0x1F4, "syssize")),
                vidMode: try r.u16(0x1FA, "vid_mode"),
                rootDev: try r.u16(0x1FC, "root_dev"),
                bootFlag: bootFlag,
                jump: try r.u16(0x200, "jump"),
                header: magic,
                version: version,
                kernelVersionOffset: try r.u16(0x20E, "kernel_version"),
                typeOfLoader: try r.u8(0x210, "type_of_loader"),
                loadflags: try r.u8(0x211, "loadflags"),
                code32Start: try r.u32(0x214, "code32_start"),
                ramdiskImage: try r.u32(0x218, "ramdisk_image"),
                ramdiskSize: try r.u32(0x21C, "ramdisk_size"),
                heapEndPtr: try since(0x0201, try r.u16(0x224, "heap_end_ptr")),
                cmdLinePtr: try since(0x0202, try r.u32(0x228, "cmd_line_ptr")),
                initrdAddrMax: try since(0x0203, try r.u32(0x22C, "initrd_addr_max"), default: 0x37FF_FFFF),
                kernelAlignment: try since(0x0205, try r.u32(0x230, "kernel_alignment")),
                relocatableKernel: try since(0x0205, try r.u8(0x234, "relocatable_kernel")),
                minAlignment: try since(0x020A, try r.u8(0x235, "min_alignment")),
                xloadflags: XLoadFlags(rawValue: try since(0x020C, try r.u16(0x236, "xloadflags"))),
                cmdlineSize: try since(0x0206, try r.u32(0x238, "cmdline_size"), default: 255),
                hardwareSubarch: try since(0x0207, try r.u32(0x23C, "hardware_subarch")),
                payloadOffset: try since(0x0208, try r.u32(0x248, "payload_offset")),
                payloadLength: try since(0x0208, try r.u32(0x24C, "payload_length")),
                setupData: try since(0x0209, try r.u64(0x250, "setup_data")),
                prefAddress: try since(0x020A, try r.u64(0x258, "pref_address")),
                initSize: try since(0x020A, try r.u32(0x260, "init_size")),
                handoverOffset: try since(0x020B, try r.u32(0x264, "handover_offset")),
                kernelInfoOffset: try since(0x020F, try r.u32(0x268, "kernel_info_offset"))
            )
            guard h.kern16Size < size else {
                throw BzImageError.setupPastEnd(setupSects: h.setupSects, kern16Size: h.kern16Size, fileSize: size)
            }
            if h.version >= 0x0204 {
                let declared = UInt64(h.syssize) * 16
                let available = size - h.kern16Size
                guard declared <= UInt64(available) else {
                    throw BzImageError.syssizePastEnd(syssize: h.syssize, declaredBytes: declared, available: available)
                }
            }
            return BzImage(header: h, fileSize: size)
        }
    }
}
