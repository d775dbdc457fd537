/// This project's purgatory: the code Xen enters for KEXEC_TYPE_CRASH and KEXEC_TYPE_DEFAULT
/// loads (Xen jumps to `entry_maddr` in 64-bit mode on its own GDT, with only the segments
/// mapped 1:1 and `%rsi` undefined). First it checks what it is about to start: it hashes
/// every other loaded segment, in segment order, into one SHA-256 and compares with the
/// digest the planner put in its table (`PurgatoryDigests`, kexec-tools'
/// `verify_sha256_digest`), with the SHA extensions when CPUID reports them and scalar code
/// otherwise (`PurgatorySHA256NI`), reporting on the serial console (`PurgatoryConsole`). On a
/// mismatch it prints `purgatory: sha256 digests do not match: N segments (B bytes);
/// resetting` (one digest cannot name the segment that changed) and resets the machine; the
/// kernel never runs. Then it does what Linux's 64-bit boot protocol requires before `startup_64`: a GDT
/// with flat `__BOOT_CS` (0x10) and `__BOOT_DS` (0x18), the data segment registers loaded,
/// `%rsi` = boot_params, then a jump to the kernel's 64-bit entry (load address + 0x200).
/// For crash loads it copies low memory into the backup segment after the check, as
/// kexec-tools' purgatory does (`crashdump_backup_memory`).
///
/// Layout: a `jmp` at offset 0 (the entry), the digest table at `digestTableOffset`, the
/// code, its strings and GDT; the stack is the zeroed tail of the segment. Every address is
/// an immediate fixed at plan time, so the segment needs no relocation.
/// Inputs are plain machine addresses and ranges (`Parameters`); the output is the segment's
/// bytes and where things are in it (`PurgatoryImage`). kexec-tools keeps its purgatory beside
/// the loader the same way (its top-level `purgatory/` next to `kexec/`).
/// The corresponding hypercall is `KEXEC_CMD_kexec_load` (this segment holds `entry_maddr`).
public enum Purgatory {
    /// Bytes reserved for the purgatory segment (code, table, GDT, and the stack in the zero tail).
    public static let segmentSize: UInt64 = 0x2000
    /// The stack at the top of the segment: `verify` takes 760 bytes (its SHA-256 context of
    /// 704 bytes, the digest, saved registers), `sha256.update`, `sha256.blocks` and
    /// `sha256.compress` about 100 more (saved registers and return addresses).
    public static let stackReserve = 0x400
    /// Where the digest table starts in the segment (after the entry's `jmp`).
    public static let digestTableOffset = 16
    /// CR0.MP (bit 1), CR0.EM (bit 2), CR0.TS (bit 3); CR4.OSFXSR (bit 9) (SDM vol. 3, 2.5).
    static let cr0MP: Int32 = 1 << 1
    static let cr0EMTS: Int32 = 1 << 2 | 1 << 3
    static let cr4OSFXSR: Int32 = 1 << 9
    /// 64-bit code descriptor: base 0, limit 4 GiB, P, DPL 0, code exec/read, L (kexec-tools' value).
    public static let bootCodeDescriptor: UInt64 = 0x00AF_9A00_0000_FFFF
    /// Flat data descriptor: base 0, limit 4 GiB, P, DPL 0, data read/write, D/B, G.
    public static let bootDataDescriptor: UInt64 = 0x00CF_9200_0000_FFFF
    public static let bootCS: Int8 = 0x10
    public static let bootDS: UInt32 = 0x18
    /// The line printed before the kernel is refused (kexec-tools' purgatory prints this prefix).
    public static let mismatchMessage = "purgatory: sha256 digests do not match"

    /// What the purgatory needs to know, all machine addresses.
    struct Parameters: Equatable, Sendable {
        var loadAddress: UInt64
        var bootParams: UInt64
        var kernelEntry: UInt64
        /// Copy `[source, source + size)` to `destination` after the check (crash backup,
        /// kexec-tools' `crashdump_backup_memory`).
        var backup: (source: UInt64, destination: UInt64, size: UInt64)?
        /// The ranges to hash before the jump (their digest is filled in later).
        var checks: [PurgatoryDigests.Check] = []
        /// Where messages go (from the new kernel's command line).
        var console = PurgatoryConsole(port: 0x3f8, baud: nil)

        static func == (a: Parameters, b: Parameters) -> Bool {
            a.loadAddress == b.loadAddress && a.bootParams == b.bootParams && a.kernelEntry == b.kernelEntry
                && a.backup?.source == b.backup?.source && a.backup?.destination == b.backup?.destination
                && a.backup?.size == b.backup?.size && a.checks == b.checks && a.console == b.console
        }
    }

    /// The purgatory for a load at `loadAddress`: it hashes `checks` (each a segment's machine
    /// address and `buf_size`, in segment order), reports on `console`, copies `backup` (crash
    /// loads) and jumps to `kernelEntry` with `%rsi` = `bootParams`. Its digest table is still zero.
    public static func build(
        loadAddress: UInt64, bootParams: UInt64, kernelEntry: UInt64,
        backup: (source: UInt64, destination: UInt64, size: UInt64)?,
        checks: [(address: UInt64, length: UInt64)], console: PurgatoryConsole
    ) throws(PurgatoryError) -> PurgatoryImage {
        let table = checks.map { PurgatoryDigests.Check(address: $0.address, length: $0.length) }
        return try build(Parameters(
            loadAddress: loadAddress, bootParams: bootParams, kernelEntry: kernelEntry, backup: backup, checks: table, console: console))
    }

    /// The assembled purgatory (entry at offset 0), its digest table still zero.
    static func build(_ p: Parameters) throws(PurgatoryError) -> PurgatoryImage {
        let (stackTop, overflow) = p.loadAddress.addingReportingOverflow(segmentSize)
        guard !overflow else { throw .stackAboveAddressSpace(loadAddress: p.loadAddress) }
        var a = X86Assembler()
        a.label("entry")
        a.jmp("start")
        a.align(16)
        PurgatoryDigests.emitTable(p.checks, into: &a)
        a.label("start")
        a.cli()
        a.cld()
        a.mov(.rsp, .value(stackTop))  // stack: top of our own segment (zeroed tail)
        p.console.emitSetup(into: &a)
        a.mov(.rsi, .label("message.checking"))
        a.call("puts")
        // SSE on for the SHA-NI path: Xen enters with CR4 = PAE only (OSFXSR clear, so any XMM
        // instruction would raise #UD) and CR0.EM/TS cleared (xen/arch/x86/x86_64/kexec_reloc.S,
        // `.L_identity_mapped`); set OSFXSR and MP, clear EM and TS here whatever was left, and
        // put both registers back after the check (saved in r14/r15, which `verify` keeps).
        a.movFromCR(.rax, cr: 0)
        a.mov(.q, .r14, .rax)
        a.alu(.and, .q, .rax, imm: ~cr0EMTS)
        a.alu(.or, .q, .rax, imm: cr0MP)
        a.movToCR(cr: 0, .rax)
        a.movFromCR(.rax, cr: 4)
        a.mov(.q, .r15, .rax)
        a.alu(.or, .q, .rax, imm: cr4OSFXSR)
        a.movToCR(cr: 4, .rax)
        a.mov(.rdi, .label("digests"))
        a.call("verify")
        a.movToCR(cr: 4, .r15)
        a.movToCR(cr: 0, .r14)
        a.test(.q, .rax, .rax)
        a.jump(if: .notEqual, "mismatch")
        a.mov(.rsi, .label("message.match"))
        a.call("puts")
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
        a.label("mismatch")
        a.mov(.rsi, .label("message.mismatch"))
        a.call("puts")
        PurgatoryConsole.emitReset(into: &a)

        p.console.emitPuts(into: &a)
        PurgatoryDigests.emitVerify(into: &a)
        PurgatorySHA256.emit(into: &a)
        emitStrings(p.checks, into: &a)
        a.align(16)
        a.label("gdt")
        a.data64(0)  // 0x00 null
        a.data64(0)  // 0x08 unused
        a.data64(bootCodeDescriptor)  // 0x10 __BOOT_CS
        a.data64(bootDataDescriptor)  // 0x18 __BOOT_DS
        a.label("idtr.null")  // limit 0, base 0: any exception is a triple fault
        a.data16(0)
        a.data64(0)
        a.label("gdtr")
        a.data16(4 * 8 - 1)  // limit
        a.address(of: "gdt")
        guard let bytes = a.finish(base: p.loadAddress) else { throw .labelsAboveAddressSpace(loadAddress: p.loadAddress) }
        guard bytes.count <= Int(segmentSize) - stackReserve else {
            throw .codeTooLarge(bytes: bytes.count, room: Int(segmentSize) - stackReserve)
        }
        return PurgatoryImage(bytes: bytes, entryOffset: 0, digestOffset: digestTableOffset + PurgatoryDigests.digestOffset)
    }

    /// The console lines, NUL-terminated.
    private static func emitStrings(_ checks: [PurgatoryDigests.Check], into a: inout X86Assembler) {
        func string(_ label: String, _ s: String) {
            a.label(label)
            a.data(Array(s.utf8) + [0])
        }
        string("message.checking", "purgatory: checking sha256 of \(checks.count) segments\r\n")
        string("message.match", "purgatory: sha256 digests match\r\n")
        let total = checks.reduce(UInt64(0)) { $0 &+ $1.length }
        string("message.mismatch", "\(mismatchMessage): \(checks.count) segments (\(total) bytes); resetting\r\n")
    }
}
