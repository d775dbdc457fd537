import KexecImage
import KexecPlan
import Testing

/// ``CrashReservationEstimate``: each part as documented, and the table of host sizes beside
/// kdumpctl's bare-metal default (docs/provisioning.md, "Sizing the reservation").
@Suite struct CrashReservationEstimateTests {
    /// Debian 12's 6.1 bzImage: init_size 64 MiB, kernel_alignment 2 MiB (setup header
    /// 0x260 and 0x230 of linux-image-6.1.0-56-amd64; RealKernelTests reads the real one).
    static func header() throws -> SetupHeader {
        var h = try KernelImage.parse(SyntheticKernel().bytes()).bzImage.header
        h.initSize = 64 << 20
        h.kernelAlignment = 2 << 20
        return h
    }

    /// A kdump initrd as kdump-tools builds it on Debian 12: 30 MiB of gzip, 110 MiB unpacked.
    static let initrd = InitramfsSize(fileSize: 30 << 20, unpackedKnown: 110 << 20, unsized: nil)

    @Test func partsAddUpAsDocumented() throws {
        let e = CrashReservationEstimate.estimate(kernel: try Self.header(), initrd: Self.initrd, hostRAM: 64 << 30)
        let parts = Dictionary(uniqueKeysWithValues: e.parts.map { ($0.name, $0.bytes) })
        #expect(parts["kernel"] == 66 << 20)
        #expect(parts["initrd file"] == 30 << 20 && parts["initrd unpacked"] == 110 << 20)
        #expect(parts["runtime"] == 64 << 20 && parts["loader segments"] == 1 << 20)
        #expect(parts["makedumpfile bitmaps"] == 4 << 20)   // 16 Mi pages × 2 bits
        let rest = e.parts.filter { $0.name != "struct page" }.reduce(0) { $0 + $1.bytes }
        #expect(parts["struct page"] == (rest * 64 + 62) / 63 - rest)
        #expect(e.total % (16 << 20) == 0 && e.total >= rest + parts["struct page"]!)
        #expect(e.xenOption == "crashkernel=288M")
    }

    @Test func unsizedCompressedBytesCountFourTimes() throws {
        let zstd = InitramfsSize(fileSize: 20 << 20, unpackedKnown: 1 << 20, unsized: (19 << 20, "zstd"))
        let e = CrashReservationEstimate.estimate(kernel: try Self.header(), initrd: zstd, hostRAM: 4 << 30)
        let unpacked = try #require(e.parts.first { $0.name == "initrd unpacked" })
        #expect(unpacked.bytes == (1 << 20) + 4 * (19 << 20))
        #expect(unpacked.how.contains("19 MiB of zstd records no size: counted 4x"))
    }

    /// The estimate grows with the host only through makedumpfile's bitmaps; kdumpctl's
    /// table (Fedora/RHEL 9 x86_64: 1G-4G:192M,4G-64G:256M,64G-:512M) steps instead.
    @Test func tableOfHostSizesBesideKdumpctl() throws {
        let sizes: [UInt64] = [2 << 30, 16 << 30, 256 << 30, 1 << 40, 4 << 40]
        let rows = try sizes.map { ram -> String in
            let e = CrashReservationEstimate.estimate(kernel: try Self.header(), initrd: Self.initrd, hostRAM: ram)
            let k = CrashReservationEstimate.kdumpctlDefault(hostRAM: ram).map { "\($0 >> 20)M" } ?? "-"
            return "\(ram >> 30)G: \(e.xenOption) kdumpctl \(k)"
        }
        #expect(rows == [
            "2G: crashkernel=288M kdumpctl 192M",
            "16G: crashkernel=288M kdumpctl 256M",
            "256G: crashkernel=304M kdumpctl 512M",
            "1024G: crashkernel=352M kdumpctl 512M",
            "4096G: crashkernel=544M kdumpctl 512M",
        ])
        #expect(CrashReservationEstimate.kdumpctlDefault(hostRAM: 512 << 20) == nil)
    }
}
