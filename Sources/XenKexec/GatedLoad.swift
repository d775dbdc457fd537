/// `load` and `provision` behind the Secure Boot gate: the gate runs first, before any
/// hypercall; a verified kernel is then loaded only if the bytes read for loading hash as
/// the bytes verified.
extension CrashKernelLoader {
    /// ``SecureBootGate/check(kernel:type:logger:)``, then ``load(_:keepIfArmed:)``.
    public func load(_ invocation: LoadInvocation, gate: SecureBootGate, keepIfArmed: Bool = false) async throws(KexecError) -> (LoadOutcome, SecureBootGate.Outcome) {
        let checked = try await gate.check(kernel: invocation.kernel, type: invocation.request.type, logger: logger)
        var pinned = invocation
        if case .verified(_, let sha256, _) = checked { pinned.expectedKernelSHA256 = sha256 }
        return (try load(pinned, keepIfArmed: keepIfArmed), checked)
    }

    /// ``SecureBootGate/check(kernel:type:logger:)``, then ``dryRun(_:)``: a dry run under
    /// the policy says whether the real load would be refused.
    public func dryRun(_ invocation: LoadInvocation, gate: SecureBootGate) async throws(KexecError) -> (DryRunOutcome, SecureBootGate.Outcome) {
        let checked = try await gate.check(kernel: invocation.kernel, type: invocation.request.type, logger: logger)
        return (try dryRun(invocation), checked)
    }
}
