/// This project's purgatory: the code Xen enters for KEXEC_TYPE_CRASH and KEXEC_TYPE_DEFAULT
/// loads (Xen jumps to `entry_maddr` in 64-bit mode on its own GDT, with only the segments
/// mapped 1:1 and `%rsi` undefined). It does what Linux's 64-bit boot protocol requires
/// before `startup_64`: a GDT with flat `__BOOT_CS` (0x10) and `__BOOT_DS` (0x18), the data
/// segment registers loaded, `%rsi` = boot_params, then a jump to the kernel's 64-bit entry
/// (load address + 0x200). For crash loads it first copies low memory into the backup
/// segment, as kexec-tools' purgatory does (`crashdump_backup_memory`).
///
/// The code is produced by `X86Assembler` at plan time with every address as an immediate,
/// so it needs no relocation. The stack is the zeroed tail of its own page.
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (this segment holds `entry_maddr`).
public enum Purgatory {
    /// Bytes reserved for the purgatory segment (code, GDT, and the stack in the zero tail).
    public static let segmentSize: UInt64 = 0x1000
    /// 64-bit code descriptor: base 0, limit 4 GiB, P, DPL 0, code exec/read, L (kexec-tools' value).
    public static let bootCodeDescriptor: UInt64 = 0x00AF_9A00_0000_FFFF
    /// Flat data descriptor: base 0, limit 4 GiB, P, DPL 0, data read/write, D/B, G.
    public static let bootDataDescriptor: UInt64 = 0x00CF_9200_0000_FFFF
    public static let bootCS: Int8 = 0x10
    public static let bootDS: UInt32 = 0x18

    /// What the purgatory needs to know, all machine addresses.
    public struct Parameters: Equatable, Sendable {
        public var loadAddress: UInt64
        public var bootParams: UInt64
        public var kernelEntry: UInt64
        /// Copy `[source, source + size)` to `destination` before anything else (crash backup).
        public var backup: (source: UInt64, destination: UInt64, size: UInt64)?

        public static func == (a: Parameters, b: Parameters) -> Bool {
            a.loadAddress == b.loadAddress && a.bootParams == b.bootParams && a.kernelEntry == b.kernelEntry
                && a.backup?.source == b.backup?.source && a.backup?.destination == b.backup?.destination
                && a.backup?.size == b.backup?.size
        }
    }

    /// The assembled purgatory and its entry offset (always 0).
    public static func build(_ p: Parameters) throws(PlanError) -> [UInt8] {
        var a = X86Assembler()
        a.label("entry")
        a.cli()
        a.cld()
        guard let stackTop = Checked.add(p.loadAddress, segmentSize) else {
            throw .addressOverflow("purgatory stack above \(hexAddress(p.loadAddress))")
        }
        a.mov(.rsp, .value(stackTop))  // stack: top of our own page (zeroed tail)
        if let b = p.backup {
            a.mov(.rsi, .value(b.source))
            a.mov(.rdi, .value(b.destination))
            a.mov(.rcx, .value(b.size))
            a.repMovsb()
        }
        a.mov(.rax, .label("gdtr"))
        a.lgdt(.rax)
        a.mov(.rax, .label("reloaded"))
        a.push(imm8: bootCS)  // far return target: CS = __BOOT_CS
        a.push(.rax)  //                      RIP = reloaded
        a.lretq()
        a.label("reloaded")
        a.mov32(.rax, bootDS)
        a.movSeg(.ds, .rax)
        a.movSeg(.es, .rax)
        a.movSeg(.ss, .rax)
        a.movSeg(.fs, .rax)
        a.movSeg(.gs, .rax)
        a.mov(.rsi, .value(p.bootParams))  // the boot protocol's only register
        a.xor32(.rbx)
        a.xor32(.rcx)
        a.xor32(.rdx)
        a.xor32(.rdi)
        a.xor32(.rbp)
        a.mov(.rax, .value(p.kernelEntry))
        a.jmp(.rax)
        a.label("halt")
        a.hlt()
        a.jmpShort(-3)
        a.align(16)
        a.label("gdt")
        a.data64(0)  // 0x00 null
        a.data64(0)  // 0x08 unused
        a.data64(bootCodeDescriptor)  // 0x10 __BOOT_CS
        a.data64(bootDataDescriptor)  // 0x18 __BOOT_DS
        a.label("gdtr")
        a.data16(4 * 8 - 1)  // limit
        let gdtOffset = UInt64(a.offset(of: "gdt") ?? 0)
        a.data64(stackTop - segmentSize + gdtOffset)  // base: loadAddress + gdt (no overflow: below stackTop)
        guard let bytes = a.finish(base: p.loadAddress) else {
            throw .addressOverflow("purgatory labels at \(hexAddress(p.loadAddress))")
        }
        return bytes
    }
}
