import Foundation
import KexecImage
import KexecTrust
import Testing

/// The hand-written Authenticode image hash against two independent implementations: the
/// digest sbsign (resigned, untrusted) and Debian's signing service (debian) put into the
/// signature, and osslsigncode's "Calculated message digest".
@Suite struct AuthenticodeImageHashTests {
    static func osslsigncodeDigest(_ path: String) throws -> String {
        let (_, output) = try SigningFixtures.run("osslsigncode", ["verify", "-in", path])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Calculated message digest") }),
              let value = line.split(separator: ":").last?.split(separator: " ").first.map(String.init) else {
            throw SigningFixtures.Failure(description: "osslsigncode printed no calculated digest for \(path): \(output)")
        }
        return value.lowercased()
    }

    @Test(arguments: ["debian", "resigned", "untrusted", "chained", "tampered"])
    func imageHashEqualsOsslsigncodeAndTheSignedDigest(_ name: String) throws {
        let f = try SigningFixtures.get()
        let path = ["debian": f.debian, "resigned": f.resigned, "untrusted": f.untrusted, "chained": f.chained, "tampered": f.tampered][name]!
        let image = try SigningFixtures.bytes(path)
        let pe = try PEImage.parse(image)
        let ours = hexDigits(try AuthenticodeImageHash.sha256(image, pe: pe))
        #expect(ours == (try Self.osslsigncodeDigest(path)))
        let signatures = try AuthenticodeSignature.all(in: image, pe: pe)
        #expect(signatures.count == 1)
        let signed = hexDigits(signatures[0].content.imageDigest)
        if name == "tampered" {
            #expect(signed != ours)
        } else {
            #expect(signed == ours)
            #expect(signatures[0].content.digestAlgorithm == .sha256)
            #expect(signatures[0].content.dataType == "1.3.6.1.4.1.311.2.1.15")
        }
    }

    /// sbsign signs the stripped image; the stripped image hashes like the signed one
    /// (the certificate table and its directory entry are outside the hash).
    @Test func unsignedCopyHashesLikeItsSignedCopies() throws {
        let f = try SigningFixtures.get()
        let unsigned = try SigningFixtures.bytes(f.unsigned), resigned = try SigningFixtures.bytes(f.resigned)
        let u = try AuthenticodeImageHash.sha256(unsigned, pe: try PEImage.parse(unsigned))
        let r = try AuthenticodeImageHash.sha256(resigned, pe: try PEImage.parse(resigned))
        #expect(u == r)
        #expect(try PEImage.parse(unsigned).certificateTable == nil)
    }

    /// The hashed ranges skip CheckSum and data directory 4 and stop before the table.
    @Test func hashedRangesSkipChecksumDirectoryAndTable() throws {
        let f = try SigningFixtures.get()
        let image = try SigningFixtures.bytes(f.resigned)
        let pe = try PEImage.parse(image)
        let ranges = try AuthenticodeImageHash.hashedRanges(imageSize: image.count, pe: pe)
        let checksum = pe.peHeaderOffset + 24 + 64
        let table = try #require(pe.certificateTable)
        #expect(ranges[0] == 0..<checksum)
        #expect(ranges[1].lowerBound == checksum + 4)
        #expect(ranges[1].upperBound == table.directoryEntryOffset)
        #expect(ranges[2].lowerBound == table.directoryEntryOffset + 8)
        #expect(ranges.allSatisfy { !$0.overlaps(table.range) })
        #expect(ranges.map(\.count).reduce(0, +) == image.count - 4 - 8 - table.size)
    }
}
