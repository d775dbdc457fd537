import SystemPackage

/// The host's machine memory as dom0 reads it through `/dev/mem` (Linux
/// `drivers/char/mem.c`, `read_mem`). A PV dom0 maps the host's non-RAM ranges 1:1 to
/// machine frames (Linux `arch/x86/xen/setup.c`, `xen_set_identity_and_remap`), so firmware
/// tables read as they are, where Linux lets them be read at all: below 1 MiB always (the
/// BIOS areas; `devmem_is_allowed`, `arch/x86/mm/init.c`), above it only below the end of
/// dom0's own RAM (`valid_phys_addr_range`, `arch/x86/mm/mmap.c`) and outside busy
/// resources such as e820's ACPI ranges (`CONFIG_IO_STRICT_DEVMEM`); nothing at all under
/// lockdown (`LOCKDOWN_DEV_MEM`). The corresponding C function is `pread(2)`.
struct MachineMemory {
    var device: FilePath

    /// `count` bytes at machine address `address`; fewer only at the end of the device.
    func read(_ address: UInt64, _ count: Int) -> Result<[UInt8], Errno> {
        guard let offset = Int(exactly: address) else { return .failure(.invalidArgument) }
        do {
            let fd = try Errno.catching { try FileDescriptor.open(device, .readOnly, options: [.closeOnExec]) }
            defer { try? fd.close() }
            return .success(try SystemCalls.read(fd, at: offset, count: count))
        } catch {
            return .failure(error)
        }
    }
}
