import FoundationEssentials
import Crypto
import KexecImage

/// The Authenticode hash of a PE/COFF image: what SpcIndirectDataContent's DigestInfo
/// carries and what a `dbx` image-hash entry names.
///
/// The algorithm (Microsoft "Windows Authenticode Portable Executable Signature Format",
/// "Calculating the PE Image Hash"; EDK2 `DxeImageVerificationLib.c` HashPeImage, which the
/// firmware runs): hash the headers up to SizeOfHeaders leaving out the CheckSum field and
/// the certificate-table data directory entry; then every section's raw data, in order of
/// PointerToRawData, sections with SizeOfRawData 0 left out; then whatever follows the
/// last hashed byte up to the certificate table (which is assumed to end the file, as
/// sbsign and pesign place it): `fileSize - certificateTableSize - bytesHashed` bytes.
public enum AuthenticodeImageHash {
    /// Offset of CheckSum inside the optional header (PE32 and PE32+ alike).
    static let checksumOffsetInOptionalHeader = 64

    /// The byte ranges of `image` that the Authenticode hash covers, in hashing order.
    public static func hashedRanges(imageSize: Int, pe: PEImage) throws(AuthenticodeError) -> [Range<Int>] {
        let optional = pe.peHeaderOffset + 24
        let checksum = optional + checksumOffsetInOptionalHeader
        let headersEnd = Int(pe.sizeOfHeaders)
        guard headersEnd <= imageSize, checksum + 4 <= headersEnd else {
            throw .headerFieldOutOfRange(field: "SizeOfHeaders", offset: optional + 60, value: headersEnd, fileSize: imageSize)
        }
        var ranges: [Range<Int>] = [0..<checksum]
        let directoriesAt = pe.optionalHeaderMagic == PEImage.magicPE32Plus ? 112 : 96
        if Int(pe.numberOfDataDirectories) > PEImage.certificateTableIndex {
            let entry = optional + directoriesAt + 8 * PEImage.certificateTableIndex
            guard entry + 8 <= headersEnd, entry >= checksum + 4 else {
                throw .headerFieldOutOfRange(field: "SizeOfHeaders", offset: optional + 60, value: headersEnd, fileSize: imageSize)
            }
            ranges.append((checksum + 4)..<entry)
            ranges.append((entry + 8)..<headersEnd)
        } else {
            ranges.append((checksum + 4)..<headersEnd)
        }
        var hashed = headersEnd
        let sections = pe.sections.filter { $0.sizeOfRawData != 0 }.sorted { $0.pointerToRawData < $1.pointerToRawData }
        for section in sections {
            // PEImage.parse checked that every section's raw data lies inside the file.
            ranges.append(section.rawRange)
            hashed += Int(section.sizeOfRawData)
        }
        let certificateSize = pe.certificateTable?.size ?? 0
        let (tailEnd, overflow) = imageSize.subtractingReportingOverflow(certificateSize)
        if !overflow, tailEnd > hashed {
            ranges.append(hashed..<tailEnd)
        }
        return ranges
    }

    /// The image hash with `H` (SHA-256 for UEFI's db/dbx and for every shim-signed kernel).
    public static func digest<H: HashFunction>(_ image: [UInt8], pe: PEImage, using: H.Type) throws(AuthenticodeError) -> [UInt8] {
        var hasher = H()
        for range in try hashedRanges(imageSize: image.count, pe: pe) {
            hasher.update(data: image[range])
        }
        return Array(hasher.finalize())
    }

    /// The SHA-256 image hash.
    public static func sha256(_ image: [UInt8], pe: PEImage) throws(AuthenticodeError) -> [UInt8] {
        try digest(image, pe: pe, using: SHA256.self)
    }
}
