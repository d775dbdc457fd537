import Testing
@testable import xen_kexec_fidelity
@testable import xen_kexec_load

/// `xen-kexec-fidelity fault-load` exits as `xen-kexec-load load` does: the e2e scenarios
/// that load through it (refused-reload-nothing-copied expects 69) read the same codes.
@Suite struct FaultLoadExitTests {
    @Test func everyErrorHasTheCLIsExitCode() {
        for (error, exit, _) in DiagnosisTests.table {
            #expect(FaultLoadExit.code(error) == exit.rawValue, "\(error)")
        }
    }
}
