import KexecImage
import Testing

/// The project's one hex formatter: every message, plan table, JSON field and report prints
/// addresses and values through `hex`, digests through `hexDigits`, and the e2e scenarios grep
/// these exact forms.
@Suite struct HexTextTests {
    @Test func hexIsLowerCaseWithPrefixAndNoPadding() {
        #expect(hex(UInt64(0)) == "0x0")
        #expect(hex(UInt64(0x4000_0000)) == "0x40000000")
        #expect(hex(UInt64.max) == "0xffffffffffffffff")
        #expect(hex(UInt16(0x20F)) == "0x20f")
        #expect(hex(UInt8(0xAB)) == "0xab")
    }

    /// The boot protocol version reads as `0x020f` in `inspect`'s report.
    @Test func paddedHexHasAtLeastTheGivenDigits() {
        #expect(hex(UInt16(0x20F), digits: 4) == "0x020f")
        #expect(hex(UInt16(0x20C), digits: 4) == "0x020c")
        #expect(hex(UInt16(0), digits: 4) == "0x0000")
        #expect(hex(UInt32(0x12345), digits: 4) == "0x12345")
    }

    @Test func hexDigitsAreTwoLowerCaseDigitsPerByte() {
        #expect(hexDigits([UInt8]()) == "")
        #expect(hexDigits([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }
}
