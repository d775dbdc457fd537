import Testing
@testable import KexecImage

@Test func headerOfMinimalImage() throws {
    var b = [UInt8](repeating: 0, count: 0x2000)
    b[0x1F1] = 3
    b[0x1FE] = 0x55; b[0x1FF] = 0xAA
    b[0x202] = 0x48; b[0x203] = 0x64; b[0x204] = 0x72; b[0x205] = 0x53
    b[0x206] = 0x0F; b[0x207] = 0x02
    let img = try BzImage.parse(b)
    #expect(img.kern16Size == 2048)
    #expect(img.header.versionString == "2.15")
}
