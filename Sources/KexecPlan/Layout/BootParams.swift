import KexecImage

/// `struct boot_params` (the "zero page", 4096 bytes) followed by the command line, as one
/// segment. Only the setup header is copied from the image (bytes 0x1f1 up to the end the
/// image's jump declares, `0x202 + byte[0x201]`), into a zeroed page, as the boot protocol
/// prescribes (Linux `Documentation/arch/x86/boot.rst`, `arch/x86/include/uapi/asm/bootparam.h`).
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (this segment's address is
/// `entry_maddr`/`parameters` for KEXEC_TYPE_CRASH_EFI, `%rsi` for the purgatory otherwise).
public enum BootParams {
    public static let size = 4096
    /// Offsets inside boot_params.
    public enum Offset {
        public static let acpiRsdpAddr = 0x070
        public static let extRamdiskImage = 0x0C0
        public static let extRamdiskSize = 0x0C4
        public static let extCmdLinePtr = 0x0C8
        public static let e820Entries = 0x1E8
        public static let secureBoot = 0x1EC
        public static let setupHeader = 0x1F1
        public static let typeOfLoader = 0x210
        public static let ramdiskImage = 0x218
        public static let ramdiskSize = 0x21C
        public static let cmdLinePtr = 0x228
        public static let hardwareSubarch = 0x23C
        public static let hardwareSubarchData = 0x240
        public static let setupData = 0x250
        public static let e820Table = 0x2D0
    }
    /// `type_of_loader` for kexec (ID 0xD, version 0), as kexec-tools and Linux write it.
    public static let kexecLoaderType: UInt8 = 0xD0
    /// e820 slots in boot_params.
    public static let e820Max = 128
    /// Highest byte (exclusive) of the setup header a loader may copy (jump reach 0x202 + 0x7f).
    static let setupHeaderLimit = 0x281

    /// What goes into boot_params besides the copied setup header.
    public struct Inputs: Equatable, Sendable {
        /// Where this segment is loaded (boot_params at +0, command line at +4096).
        public var address: UInt64
        public var commandLine: String
        public var initrd: AddressRange?
        public var e820: [MemoryRange]
        /// `acpi_rsdp_addr` (0x070, 8 bytes): where the new kernel finds ACPI without
        /// scanning (Linux `arch/x86/include/uapi/asm/bootparam.h`; kernels that predate the
        /// field ignore it). Left 0 when unknown.
        public var acpiRsdp: UInt64?
        /// `secure_boot` (0x1EC) = 3, `efi_secureboot_mode_enabled` (Linux
        /// `include/linux/efi.h`), under the Secure Boot policy; 0 (unset) otherwise.
        public var secureBoot: Bool

        public init(address: UInt64, commandLine: String, initrd: AddressRange?, e820: [MemoryRange], acpiRsdp: UInt64?, secureBoot: Bool = false) {
            self.address = address
            self.commandLine = commandLine
            self.initrd = initrd
            self.e820 = e820
            self.acpiRsdp = acpiRsdp
            self.secureBoot = secureBoot
        }
    }
    /// `efi_secureboot_mode_enabled`.
    public static let secureBootEnabled: UInt8 = 3

    /// Machine address of the command line inside the segment.
    public static func commandLineAddress(segment address: UInt64) -> UInt64? {
        Checked.add(address, UInt64(size))
    }

    /// The segment bytes: boot_params, then the NUL-terminated command line.
    public static func build<Bytes: RandomAccessCollection>(image: Bytes, inputs: Inputs) throws(PlanError) -> [UInt8]
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let cmd = Array(inputs.commandLine.utf8)
        var w = ByteWriter(count: size + cmd.count + 1)
        // Setup header, as the image declares its length.
        let base = image.startIndex
        let declaredEnd = image.count > 0x201 ? 0x202 + Int(image[base + 0x201]) : Offset.setupHeader
        let end = min(declaredEnd, setupHeaderLimit, image.count)
        if end > Offset.setupHeader {
            for o in Offset.setupHeader..<end { w.bytes[o] = image[base + o] }
        }
        guard let cmdAddr = commandLineAddress(segment: inputs.address) else {
            throw .addressOverflow("command line address after boot_params at \(hex(inputs.address))")
        }
        w.u8(Offset.typeOfLoader, kexecLoaderType)
        w.u32(Offset.cmdLinePtr, UInt32(truncatingIfNeeded: cmdAddr))
        w.u32(Offset.extCmdLinePtr, UInt32(truncatingIfNeeded: cmdAddr >> 32))
        if let rd = inputs.initrd {
            w.u32(Offset.ramdiskImage, UInt32(truncatingIfNeeded: rd.start))
            w.u32(Offset.extRamdiskImage, UInt32(truncatingIfNeeded: rd.start >> 32))
            w.u32(Offset.ramdiskSize, UInt32(truncatingIfNeeded: rd.size))
            w.u32(Offset.extRamdiskSize, UInt32(truncatingIfNeeded: rd.size >> 32))
        } else {
            w.u32(Offset.ramdiskImage, 0)
            w.u32(Offset.ramdiskSize, 0)
        }
        w.u32(Offset.hardwareSubarch, 0)  // X86_SUBARCH_PC: the new kernel runs on bare metal
        w.u64(Offset.hardwareSubarchData, 0)
        w.u64(Offset.setupData, 0)
        if let rsdp = inputs.acpiRsdp { w.u64(Offset.acpiRsdpAddr, rsdp) }
        if inputs.secureBoot { w.u8(Offset.secureBoot, secureBootEnabled) }
        guard inputs.e820.count <= e820Max else { throw .tooManyE820Entries(count: inputs.e820.count) }
        w.u8(Offset.e820Entries, UInt8(inputs.e820.count))
        for (i, m) in inputs.e820.enumerated() {
            let o = Offset.e820Table + i * 20
            w.u64(o, m.range.start)
            w.u64(o + 8, m.range.size)
            w.u32(o + 16, m.type)
        }
        w.put(size, cmd)
        return w.bytes
    }
}
