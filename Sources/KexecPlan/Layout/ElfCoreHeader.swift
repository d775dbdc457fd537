/// The ELF core header a crash kernel finds with `elfcorehdr=` and turns into `/proc/vmcore`:
/// an ELF64 `ET_CORE` header for `EM_X86_64`, one PT_NOTE per physical CPU's crash note
/// (`KEXEC_RANGE_MA_CPU`), one PT_NOTE for Xen's VMCOREINFO (`KEXEC_RANGE_MA_VMCOREINFO`),
/// one for dom0's own VMCOREINFO when known (``HostDescription/dom0VmcoreInfo``), and one
/// PT_LOAD per range of host RAM outside the crash region — kexec-tools' Xen layout
/// (`crashdump-xen.c`, `crashdump-elf.c`) plus dom0's note, which makedumpfile needs to read
/// dom0's kernel (its page tables, its log) in the dump.
///
/// A PT_NOTE's `p_offset` and `p_paddr` are the note's machine address: the crash kernel
/// reads it from the old memory (Linux `fs/proc/vmcore.c`, `merge_note_headers_elf64`), walks
/// the notes in `p_memsz` bytes and drops the entry if a note runs past them.
///
/// The corresponding hypercall is `KEXEC_CMD_kexec_get_range` (the notes' addresses).
public enum ElfCoreHeader {
    public static let ehdrSize = 64
    public static let phdrSize = 56
    static let PT_LOAD: UInt32 = 1
    static let PT_NOTE: UInt32 = 4

    /// The PT_NOTE ranges, in order: Xen's per-CPU crash notes, Xen's VMCOREINFO, dom0's VMCOREINFO.
    public static func notes(of host: HostDescription) -> [AddressRange] {
        var notes = host.cpuNotes
        if let v = host.vmcoreInfo { notes.append(v) }
        if let d = host.dom0VmcoreInfo { notes.append(d) }
        return notes
    }

    /// Builds the header. `notes` are ``notes(of:)``; `loads` the dump ranges.
    public static func build(notes: [AddressRange], loads: [CrashMemoryMap.DumpRange]) -> [UInt8] {
        let phnum = notes.count + loads.count
        var b = ByteWriter(count: ehdrSize + phnum * phdrSize)
        b.put(0, [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0])  // ELFMAG, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
        b.u16(16, 4)  // ET_CORE
        b.u16(18, UInt16(KexecArch.x86_64))
        b.u32(20, 1)  // EV_CURRENT
        b.u64(32, UInt64(ehdrSize))  // e_phoff
        b.u16(52, UInt16(ehdrSize))
        b.u16(54, UInt16(phdrSize))
        b.u16(56, UInt16(truncatingIfNeeded: phnum))
        var off = ehdrSize
        for n in notes {
            b.u32(off, PT_NOTE)
            b.u64(off + 8, n.start)  // p_offset
            b.u64(off + 24, n.start)  // p_paddr
            b.u64(off + 32, n.size)  // p_filesz
            b.u64(off + 40, n.size)  // p_memsz
            off += phdrSize
        }
        for l in loads {
            b.u32(off, PT_LOAD)
            b.u32(off + 4, 7)  // PF_R | PF_W | PF_X
            b.u64(off + 8, l.offset)
            b.u64(off + 16, CrashMemoryMap.directMapBase &+ l.paddr)
            b.u64(off + 24, l.paddr)
            b.u64(off + 32, l.size)
            b.u64(off + 40, l.size)
            off += phdrSize
        }
        return b.bytes
    }
}
