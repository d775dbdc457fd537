import KexecPlan
import SystemPackage

/// Finds dom0's own VMCOREINFO note, for the crash ELF core header
/// (``HostDescription/dom0VmcoreInfo``), from dom0's sysfs (`sysfsRoot`, `/sys` in
/// production, a temporary tree in tests).
///
/// `kernel/vmcoreinfo` holds "ADDR SIZE" in hex: `paddr_vmcoreinfo_note()` and
/// `VMCOREINFO_NOTE_SIZE` (Linux `kernel/ksysfs.c`, `vmcoreinfo_show`). On a PV dom0 that
/// address is a machine address: Linux `arch/x86/xen/mmu_pv.c` overrides
/// `paddr_vmcoreinfo_note()` to return `virt_to_machine(vmcoreinfo_note)` when
/// `xen_pv_domain()` — which is what the crash kernel, running on the bare machine, reads.
/// On a PVH dom0 the generic `__pa()` is a guest physical address, useless to the crash
/// kernel, so the note is used only when `hypervisor/guest_type` says `PV` (Linux
/// `drivers/xen/sys-hypervisor.c`, `guest_type_show`).
///
/// Only the first page is translated: the note buffer is `alloc_pages_exact()` (Linux
/// `kernel/crash_core.c`, `crash_save_vmcoreinfo_init`), contiguous in dom0's pseudo-physical
/// space but not necessarily in machine memory, and `VMCOREINFO_NOTE_SIZE` is one page plus
/// the note headers. The range is cut at the end of that page; the note itself (headers and
/// `vmcoreinfo_size` bytes of text, about 3 KiB) fits in it. Should it not, the crash kernel
/// drops the truncated note (Linux `fs/proc/vmcore.c`) rather than read another frame.
public struct Dom0VmcoreInfoDiscovery: Sendable {
    public var sysfsRoot: FilePath

    public init(sysfsRoot: FilePath = "/sys") {
        self.sysfsRoot = sysfsRoot
    }

    static let vmcoreInfoPath: FilePath = "kernel/vmcoreinfo"
    static let guestTypePath: FilePath = "hypervisor/guest_type"
    static let page: UInt64 = 4096

    /// dom0's note, or why there is none (for a warning: the dump then lacks dom0's note).
    public enum Result: Equatable, Sendable {
        case found(AddressRange)
        case unavailable(String)
    }

    public func discover() -> Result {
        let guestFile = sysfsRoot.appending(Self.guestTypePath.components)
        let guestType: String
        do {
            guestType = String(decoding: try SystemCalls.readFile(guestFile, limit: 64), as: UTF8.self)
                .trimmingWhitespace()
        } catch {
            return .unavailable("\(guestFile): cannot read (\(error)), so dom0's VMCOREINFO address cannot be trusted to be a machine address")
        }
        guard guestType == "PV" else {
            return .unavailable("dom0 is a \(guestType) guest (\(guestFile)): its VMCOREINFO address is not a machine address")
        }
        let file = sysfsRoot.appending(Self.vmcoreInfoPath.components)
        let text: String
        do {
            text = String(decoding: try SystemCalls.readFile(file, limit: 256), as: UTF8.self)
        } catch {
            return .unavailable("\(file): cannot read (\(error))")
        }
        guard let range = Self.parse(text) else {
            return .unavailable("\(file): expected \"ADDRESS SIZE\" in hex, found \"\(text.trimmingWhitespace())\"")
        }
        return .found(range)
    }

    /// "ADDR SIZE" (hex, `0x` optional), cut at the end of the page ADDR is in; nil when
    /// malformed, zero or overflowing.
    static func parse(_ text: String) -> AddressRange? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard words.count == 2, let address = hexNumber(words[0]), let size = hexNumber(words[1]),
              address != 0, size != 0 else { return nil }
        guard !address.addingReportingOverflow(size).overflow else { return nil }
        let lastByteOfPage = address | (page - 1)
        return AddressRange(start: address, size: min(size, lastByteOfPage - address + 1))
    }

    static func hexNumber(_ word: Substring) -> UInt64? {
        let digits = word.hasPrefix("0x") || word.hasPrefix("0X") ? word.dropFirst(2) : word
        return digits.isEmpty ? nil : UInt64(digits, radix: 16)
    }
}
