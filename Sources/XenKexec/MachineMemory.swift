#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// The host's machine memory as dom0 sees it through `/dev/mem` (Linux
/// `drivers/char/mem.c`): only ranges that are not RAM (`devmem_is_allowed` under
/// `CONFIG_STRICT_DEVMEM`), nothing at all under lockdown (`LOCKDOWN_DEV_MEM`, at open). A
/// PV dom0 maps those ranges 1:1 to machine frames (Linux `arch/x86/xen/setup.c`,
/// `xen_set_identity_and_remap`), so firmware tables read as they are. The pages are
/// mapped (`mmap_mem`), not read: `read_mem` refuses addresses above dom0's own RAM
/// (`valid_phys_addr_range`, `arch/x86/mm/mmap.c`), which is where UEFI keeps ACPI.
/// The corresponding C functions are `mmap(2)` and `munmap(2)`. The raw-pointer work of
/// this read is fenced in this file.
struct MachineMemory {
    var device: FilePath

    /// `count` bytes at machine address `address`; fewer only at the end of a regular file
    /// (tests stand a sparse file in for the device).
    func read(_ address: UInt64, _ count: Int) -> Result<[UInt8], Errno> {
        guard count > 0, let start = Int(exactly: address), start <= Int.max - count else { return .failure(.invalidArgument) }
        do {
            let fd = try Errno.catching { try FileDescriptor.open(device, .readOnly, options: [.closeOnExec]) }
            defer { try? fd.close() }
            var length = count
            let status = try Errno.catching { try fd.stat() }
            if status.type == .regular {
                // A mapping past the end of a file faults on access (SIGBUS): stop at its end.
                guard start < Int(status.size) else { return .success([]) }
                length = min(count, Int(status.size) - start)
            }
            return map(fd, at: start, length: length)
        } catch {
            return .failure(error)
        }
    }

    private func map(_ fd: FileDescriptor, at start: Int, length: Int) -> Result<[UInt8], Errno> {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base = start / page * page
        let span = start - base + length
        // SAFETY: a fresh read-only shared mapping of `span` bytes of `fd` at the page-aligned
        // offset `base`; it is read only within [start - base, start - base + length), which
        // lies inside it (and, for a regular file, inside the file), and unmapped before return.
        guard let p = mmap(nil, span, PROT_READ, MAP_SHARED, fd.rawValue, off_t(base)), p != MAP_FAILED else {
            return .failure(Errno(rawValue: errno))
        }
        defer { munmap(p, span) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: p + (start - base), count: length))
        return .success(bytes)
    }
}
