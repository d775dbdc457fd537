/// A kernel file as `xen-kexec-load` receives it, whatever its container: a plain bzImage
/// (signed or not), a Unified Kernel Image (`.linux` inside a PE), or an ELF envelope
/// (`.kernel` inside an ELF64). This is what the planner consumes.
///
/// Detection: `7f 45 4c 46` → ELF envelope; `"MZ"` with a PE `.linux` section → UKI;
/// anything else → bzImage (an EFI-stub bzImage also starts with `"MZ"`, and its PE
/// headers are parsed and checked too).
///
/// Every range is a range of byte offsets in the file that was parsed. The kernel segment
/// for any load type is `bytes[kernelRange]`: the whole file for a bzImage, the section
/// payload for a UKI or an envelope. Parsing does not decide loadability: ask
/// `bzImage.problems(for:)`.
public struct KernelImage: Equatable, Sendable {
    /// The container a kernel came in.
    public enum Format: String, Equatable, Sendable, CaseIterable {
        /// A Linux x86 bzImage (possibly an EFI-stub PE, possibly Authenticode-signed).
        case bzImage
        /// A systemd Unified Kernel Image: PE with `.linux`, `.initrd`, `.cmdline`, …
        case uki
        /// An ELF64 envelope with `.kernel`, `.initrd`, `.cmdline`.
        case elfEnvelope
    }

    /// The container format.
    public let format: Format
    /// Size of the parsed file in bytes.
    public let fileSize: Int
    /// File range of the kernel (bzImage) bytes.
    public let kernelRange: Range<Int>
    /// File range of an initrd carried in the file, or `nil`.
    public let initrdRange: Range<Int>?
    /// A command line carried in the file (`.cmdline`), without its NUL, or `nil`.
    public let embeddedCommandLine: String?
    /// The kernel's setup header and derived values (its `fileSize` is `kernelRange.count`).
    public let bzImage: BzImage
    /// The kernel's own PE/COFF headers (offsets relative to `kernelRange.lowerBound`), or
    /// `nil` for a bzImage built without the EFI stub.
    public let kernelPE: PEImage?
    /// The UKI container, when `format == .uki`.
    public let uki: UnifiedKernelImage?
    /// The ELF envelope, when `format == .elfEnvelope`.
    public let envelope: ELFEnvelope?

    /// The kernel's Authenticode signature state (of the kernel itself, not of a UKI container).
    public var signature: KernelSignature { KernelSignature(pe: kernelPE) }

    /// File range of the kernel's certificate table, when the kernel is signed.
    public var kernelCertificateRange: Range<Int>? {
        guard let table = kernelPE?.certificateTable else { return nil }
        return (kernelRange.lowerBound + table.offset)..<(kernelRange.lowerBound + table.offset + table.size)
    }

    /// Parses a whole kernel file held in `bytes` (offsets are relative to `bytes.startIndex`).
    ///
    /// - Throws: `KernelImageError` naming the format, field, file offset and expected value.
    public static func parse<Bytes: RandomAccessCollection>(
        _ bytes: Bytes
    ) throws(KernelImageError) -> KernelImage where Bytes.Element == UInt8, Bytes.Index == Int {
        let size = bytes.count
        if ELFEnvelope.hasELFMagic(bytes) {
            let envelope: ELFEnvelope
            do { envelope = try ELFEnvelope.parse(bytes) } catch { throw .envelope(error) }
            let kernel = try parseKernel(bytes, range: envelope.kernelRange, container: .elfEnvelope)
            return KernelImage(
                format: .elfEnvelope, fileSize: size, kernelRange: envelope.kernelRange,
                initrdRange: envelope.initrdRange, embeddedCommandLine: envelope.commandLine,
                bzImage: kernel.bzImage, kernelPE: kernel.pe, uki: nil, envelope: envelope)
        }
        if PEImage.hasDOSMagic(bytes) {
            let pe: PEImage
            do { pe = try PEImage.parse(bytes) } catch { throw .pe(error, imageOffset: 0, container: .bzImage) }
            if UnifiedKernelImage.isUKI(pe) {
                let uki: UnifiedKernelImage
                do { uki = try UnifiedKernelImage.parse(bytes, pe: pe) } catch { throw .uki(error) }
                let kernel = try parseKernel(bytes, range: uki.linuxRange, container: .uki)
                return KernelImage(
                    format: .uki, fileSize: size, kernelRange: uki.linuxRange,
                    initrdRange: uki.initrdRange, embeddedCommandLine: uki.commandLine,
                    bzImage: kernel.bzImage, kernelPE: kernel.pe, uki: uki, envelope: nil)
            }
        }
        let kernel: (bzImage: BzImage, pe: PEImage?)
        do {
            kernel = try parseKernel(bytes, range: 0..<size, container: .bzImage)
        } catch {
            // A PE with UKI sections but no .linux is a broken UKI, not a broken bzImage.
            if case .bzImage = error, let pe = try? PEImage.parse(bytes), UnifiedKernelImage.hasUKISections(pe) {
                throw .uki(.missingLinuxSection(sectionCount: pe.sections.count))
            }
            throw error
        }
        return KernelImage(
            format: .bzImage, fileSize: size, kernelRange: 0..<size, initrdRange: nil,
            embeddedCommandLine: nil, bzImage: kernel.bzImage, kernelPE: kernel.pe, uki: nil, envelope: nil)
    }

    /// Parses the bzImage (and its PE headers, if it has the EFI stub) at `range` of `bytes`.
    private static func parseKernel<Bytes: RandomAccessCollection>(
        _ bytes: Bytes, range: Range<Int>, container: Format
    ) throws(KernelImageError) -> (bzImage: BzImage, pe: PEImage?) where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = bytes.startIndex
        let kernel = bytes[(base + range.lowerBound)..<(base + range.upperBound)]
        let bz: BzImage
        do { bz = try BzImage.parse(kernel) } catch { throw .bzImage(error, kernelOffset: range.lowerBound, container: container) }
        var pe: PEImage? = nil
        if PEImage.hasDOSMagic(kernel) {
            do { pe = try PEImage.parse(kernel) } catch { throw .pe(error, imageOffset: range.lowerBound, container: container) }
        }
        return (bz, pe)
    }
}
