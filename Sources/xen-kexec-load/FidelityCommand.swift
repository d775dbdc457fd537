import ArgumentParser
import KexecPlan
import Logging
import XenKexec

/// `xen-kexec-load fidelity` (hidden, test-only): the differential test of `XenRules`
/// against the running hypervisor (issue 8).
///
/// It generates seeded segment arrays near the edges of Xen's load rules, predicts each
/// answer with `XenRules`, and — unless `--offline` — sends each array straight to
/// `xc_kexec_load` **without the preflight**, records rc/errno, unloads what loaded, and
/// prints one line per case and a closing `N agree, M disagree`. Exit 0 only when every case
/// agrees. It never touches the tool's record of the armed image, so run it on a test host.
struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Test only: compare XenRules' predictions with the running Xen, case by case.",
        shouldDisplay: false
    )

    @Option(help: "Seed of the case generator.")
    var seed: UInt64 = 1

    @Option(help: "Number of cases.")
    var count: Int = 250

    @Option(help: "Which rules to predict with: xen-4.17 (Debian's Xen) or test-xen (the project's Xen with KEXEC_TYPE_CRASH_EFI).")
    var rules: RulesArgument = .xen417

    @Flag(help: "Only print the cases and predictions; no hypercalls.")
    var offline = false

    @Option(name: .customLong("crash-region"), help: "With --offline: the crash region, e.g. 256M@1G.")
    var crashRegion: String = "256M@1G"

    @OptionGroup var common: CommonOptions

    enum RulesArgument: String, ExpressibleByArgument, CaseIterable {
        case xen417 = "xen-4.17"
        case testXen = "test-xen"

        var hypervisor: XenHypervisor { self == .xen417 ? .xen417 : .testXen }
    }

    func run() throws {
        let logger = CLILogging.bootstrap(verbosity: common.verbose)
        if offline {
            guard let region = CrashRegion.parse(crashRegion) else { throw ValidationError("--crash-region \(crashRegion): expected SIZE@BASE") }
            let window = AddressRange(start: 0x100_0000, size: 0x400_0000)
            for c in generator(region, window).cases(seed: seed, count: count) {
                let v = XenRules.check(c.request, crashRegion: region, hypervisor: rules.hypervisor)
                Output.line("FIDELITY case \(c.index) \(c.probe): predicted \(Self.describe(v))")
            }
            return
        }
        var disagree = 0
        try reportingErrors(json: false, logger: logger) { () throws(KexecError) in
            let xen = try XenctrlHypervisor.open(verboseLibxenctrl: common.verbose >= 2)
            let runner = try FidelityRunner(hypervisor: xen, rules: rules.hypervisor)
            let result = try runner.run(runner.generator(includeCrashEFI: rules == .testXen).cases(seed: seed, count: count))
            for (rule, n) in result.ruleCounts.sorted(by: { $0.key < $1.key }) { Output.line("FIDELITY rule \(rule): \(n) cases") }
            Output.line("FIDELITY: \(result.agree) agree, \(result.disagree) disagree")
            disagree = result.disagree
        }
        if disagree != 0 { throw ExitCode(ToolExit.failure.rawValue) }
    }

    func generator(_ region: AddressRange, _ window: AddressRange) -> XenRulesCaseGenerator {
        XenRulesCaseGenerator(crashRegion: region, defaultWindow: window, includeCrashEFI: rules == .testXen)
    }

    static func describe(_ v: XenRuleViolation?) -> String {
        guard let v else { return "accept" }
        return "\(XenErrno.name(v.rule.errno)) (\(v.rule.rawValue))"
    }
}
