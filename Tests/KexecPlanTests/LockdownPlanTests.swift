import KexecPlan
import Testing

/// Under the Secure Boot policy the new kernel comes up locked down: boot_params.secure_boot
/// (0x1EC) = 3 as Linux's kexec copies it, and `lockdown=LEVEL` last on its command line,
/// replacing any the request carried. Without the policy, neither.
@Suite struct LockdownPlanTests {
    static func plan(_ type: LoadType, lockdown: LockdownLevel?, append: String? = nil) throws -> KexecLoadRequest {
        try Planner.plan(
            image: SyntheticKernel().bytes(), initrd: nil, host: try AcpiRsdpPlanTests.host(),
            request: PlanRequest(type: type, commandLine: CommandLineRequest(replacement: "console=ttyS0", append: append), lockdown: lockdown))
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func theNewKernelIsLockedDown(_ type: LoadType) throws {
        let plan = try Self.plan(type, lockdown: .confidentiality, append: "lockdown=none")
        let params = try AcpiRsdpPlanTests.bootParams(plan)
        #expect(params[0x1EC] == 3)
        let words = KernelCommandLineWords.split(plan.commandLine)
        #expect(words.filter { $0.hasPrefix("lockdown=") } == ["lockdown=confidentiality"])
        #expect(Array(params[4096..<(4096 + plan.commandLine.utf8.count)]) == Array(plan.commandLine.utf8))
    }

    @Test(arguments: [LoadType.default, .crash, .crashEFI])
    func withoutThePolicyNothingChanges(_ type: LoadType) throws {
        let plan = try Self.plan(type, lockdown: nil)
        #expect(try AcpiRsdpPlanTests.bootParams(plan)[0x1EC] == 0)
        #expect(!plan.commandLine.contains("lockdown="))
    }
}
