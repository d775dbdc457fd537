import FoundationEssentials
import KexecImage
import KexecPlan
import Testing
@testable import XenKexec

/// The planner hashes payload memory in place: `PayloadBytes` and its slices are
/// `DataProtocol`, so `PlanDigest` hands them to SHA-256 without a copy and without touching a
/// pointer itself; the digests equal those of the same bytes as an array.
@Suite struct PayloadBytesTests {
    @Test func slicesOfThePayloadAreDataProtocol() async {
        let buffer = PayloadBuffer.heap(byteCount: 64)
        let bytes = PayloadBytes(buffer)
        #expect((bytes as Any) is any DataProtocol)
        #expect((bytes[8..<40] as Any) is any DataProtocol)
    }

    @Test func planDigestOfPayloadEqualsDigestOfTheArray() async {
        let data = pattern(3 * 4096 + 123, seed: 7)
        let buffer = PayloadBuffer.heap(byteCount: data.count)
        buffer.write(data, at: 0)
        let bytes = PayloadBytes(buffer)
        for range in [0..<data.count, 100..<5000, 4096..<8192, 0..<0] {
            #expect(PlanDigest.sha256(bytes, range) == PlanDigest.sha256(data, range), "\(range)")
        }
        #expect(hexDigits(PlanDigest.sha256(bytes, 0..<data.count)) == hexDigits(buffer.sha256()))
    }
}
