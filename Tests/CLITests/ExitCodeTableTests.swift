import Foundation
import KexecPlan
import Testing
import XenKexec
@testable import xen_kexec_load

/// One exit-code table: the same planning error exits with the same code from `plan` (the
/// built binary, offline) and from `load`/`provision` (whose errors go through `Diagnosis`).
@Suite struct ExitCodeTableTests {
    /// (arguments of `plan`, the PlanError it meets, README's code)
    static let cases: [([String], PlanError, Int32)] = [
        (["--type", "crash"], .noCrashRegion, 78),
        (["--efi", "--crash-region", "256M@1G", "--firmware", "uefi"], .acpiRsdp(.missingOnUEFI), 78),
        (["--efi", "--crash-region", "64M@1G"],
         .crashRegionTooSmall(region: AddressRange(start: 0x4000_0000, size: 0x400_0000), needed: 0, detail: ""), 65),
    ]

    @Test(arguments: cases.indices)
    func planAndLoadExitAlike(_ i: Int) throws {
        let (args, error, code) = Self.cases[i]
        #expect(Diagnosis(.plan(error)).exit.rawValue == code)
        #expect(ToolExit(error).rawValue == code)
        guard FileManager.default.fileExists(atPath: planKernel) else {
            Issue.record("missing \(planKernel): run tools/fetch-debian.sh linux-image-6.1.0-56-amd64")
            return
        }
        let r = try runPlan([planKernel] + args)
        #expect(r.status == code, "\(r.stderr)")
    }

    /// A plan error keeps its own text to the edge (no "cannot plan" wrapper), so `plan` and
    /// `load` print the same sentence.
    @Test func theMessageIsThePlanErrorsOwn() {
        for e: PlanError in [.noCrashRegion, .emptyInitrd, .commandLineHasNUL] {
            #expect(Diagnosis(.plan(e)).message == e.description)
        }
    }
}
