import Foundation
import Testing

/// The real Debian kernels the tests read, fetched by `tools/fetch-test-kernels.sh` into
/// `$XEN_KEXEC_CACHE` (default /var/cache/xen-kexec), outside git. Provenance and the
/// hard-coded header values: Tests/Fixtures/README.md.
struct PinnedKernel: Sendable, CustomStringConvertible {
    let package: String
    let path: String
    let debianVersion: String

    var description: String { "\(package) (\(debianVersion))" }

    /// `$XEN_KEXEC_CACHE/pkg/PACKAGE/PATH`.
    var filePath: String { "\(TestKernels.cache)/pkg/\(package)/\(path)" }
}

enum TestKernels {
    static var cache: String {
        ProcessInfo.processInfo.environment["XEN_KEXEC_CACHE"] ?? "/var/cache/xen-kexec"
    }

    /// bookworm-security, Secure Boot signed, generic flavour.
    static let amd64 = PinnedKernel(
        package: "linux-image-6.1.0-56-amd64", path: "boot/vmlinuz-6.1.0-56-amd64", debianVersion: "6.1.192-2")
    /// bookworm-security, Secure Boot signed, cloud flavour.
    static let cloudAmd64 = PinnedKernel(
        package: "linux-image-6.1.0-56-cloud-amd64", path: "boot/vmlinuz-6.1.0-56-cloud-amd64", debianVersion: "6.1.192-2")
    /// bookworm main, i386 686 flavour: a 32-bit kernel.
    static let i686 = PinnedKernel(
        package: "linux-image-6.1.0-50-686", path: "boot/vmlinuz-6.1.0-50-686", debianVersion: "6.1.176-1")

    static let pinned = [amd64, cloudAmd64, i686]

    struct Missing: Error, CustomStringConvertible {
        let kernel: PinnedKernel
        var description: String {
            "pinned test kernel \(kernel) is missing at \(kernel.filePath); fetch it with: "
                + "XEN_KEXEC_CACHE=\(TestKernels.cache) tools/fetch-test-kernels.sh"
        }
    }

    /// The kernel's bytes, or a failing test that says how to fetch it (never a silent skip).
    static func load(_ kernel: PinnedKernel) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: kernel.filePath) else { throw Missing(kernel: kernel) }
        return [UInt8](data)
    }

    /// Every `vmlinuz-*` under `$XEN_KEXEC_CACHE/pkg/*/boot/`.
    static func allCachedKernels() -> [String] {
        let fm = FileManager.default
        let pkg = "\(cache)/pkg"
        var out: [String] = []
        for package in (try? fm.contentsOfDirectory(atPath: pkg)) ?? [] {
            let boot = "\(pkg)/\(package)/boot"
            for file in (try? fm.contentsOfDirectory(atPath: boot)) ?? [] where file.hasPrefix("vmlinuz-") {
                out.append("\(boot)/\(file)")
            }
        }
        return out.sorted()
    }
}
