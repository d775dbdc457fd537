/// A Unified Kernel Image (systemd UKI): a PE/COFF EFI application whose sections carry
/// the kernel (`.linux`), optionally an initrd (`.initrd`), a command line (`.cmdline`),
/// an os-release (`.osrel`) and the kernel release (`.uname`).
///
/// A section's payload is `min(VirtualSize, SizeOfRawData)` bytes at PointerToRawData, as
/// systemd's own loaders read it (raw data is padded to FileAlignment). `PEImage.parse` has
/// already checked that raw data lies inside the file and that sections do not overlap.
/// The `.linux` payload is a bzImage (parsed by `KernelImage`).
public struct UnifiedKernelImage: Equatable, Sendable {
    /// Section names a UKI uses for the parts this loader reads.
    public static let linuxSection = ".linux"
    public static let initrdSection = ".initrd"
    public static let cmdlineSection = ".cmdline"
    public static let osrelSection = ".osrel"
    public static let unameSection = ".uname"

    /// The UKI's own PE headers (and its own signature, which covers the whole UKI).
    public let pe: PEImage
    /// File range of the `.linux` payload (the kernel).
    public let linuxRange: Range<Int>
    /// File range of the `.initrd` payload, or `nil` when absent or empty.
    public let initrdRange: Range<Int>?
    /// The `.cmdline` text (trailing NULs and newlines removed), or `nil` when absent.
    public let commandLine: String?
    /// The `.osrel` text, when present.
    public let osRelease: String?
    /// The `.uname` text (kernel release), when present.
    public let uname: String?

    /// True when `pe` has a `.linux` section: the file is a UKI rather than a plain EFI-stub bzImage.
    public static func isUKI(_ pe: PEImage) -> Bool {
        pe.section(named: linuxSection) != nil
    }

    /// True when `pe` has any of the UKI sections other than `.linux` (`.initrd`, `.cmdline`,
    /// `.osrel`, `.uname`): a file meant as a UKI even if its `.linux` is missing.
    public static func hasUKISections(_ pe: PEImage) -> Bool {
        pe.sections.contains { [initrdSection, cmdlineSection, osrelSection, unameSection].contains($0.name) }
    }

    /// Finds and checks the UKI sections of a parsed PE image held in `bytes`.
    public static func parse<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, pe: PEImage
    ) throws(UKIError) -> UnifiedKernelImage where Bytes.Element == UInt8, Bytes.Index == Int {
        func unique(_ name: String) throws(UKIError) -> PESection? {
            let found = pe.sections.filter { $0.name == name }
            if found.count > 1 {
                throw .duplicateSection(name: name, firstHeaderOffset: found[0].headerOffset, secondHeaderOffset: found[1].headerOffset)
            }
            return found.first
        }
        guard let linux = try unique(linuxSection) else { throw .missingLinuxSection(sectionCount: pe.sections.count) }
        guard !linux.payloadRange.isEmpty else { throw .emptySection(name: linuxSection, headerOffset: linux.headerOffset) }
        let initrd = try unique(initrdSection)
        let cmdline = try unique(cmdlineSection)
        let osrel = try unique(osrelSection)
        let uname = try unique(unameSection)

        func text(_ section: PESection?) throws(UKIError) -> String? {
            guard let section else { return nil }
            let range = section.payloadRange
            let base = bytes.startIndex
            let raw = Array(bytes[(base + range.lowerBound)..<(base + range.upperBound)])
            switch SectionText.decode(raw) {
            case .success(let s): return s
            case .failure(.interiorNUL(let at)):
                throw .textHasNUL(name: section.name, offset: range.lowerBound + at)
            case .failure(.notUTF8):
                throw .textNotUTF8(name: section.name, offset: range.lowerBound)
            }
        }
        let initrdRange = initrd.map(\.payloadRange).flatMap { $0.isEmpty ? nil : $0 }
        return UnifiedKernelImage(
            pe: pe, linuxRange: linux.payloadRange, initrdRange: initrdRange,
            commandLine: try text(cmdline), osRelease: try text(osrel), uname: try text(uname))
    }
}
