/// `load` and `provision` behind the Secure Boot gate: the gate runs first, before any
/// hypercall; a verified kernel is then loaded only if the bytes read for loading hash as
/// the bytes verified.
extension CrashKernelLoader {
    /// ``SecureBootGate/check(kernel:type:logger:)``, then ``load(_:keepIfArmed:)`` of the
    /// pinned invocation. (The CLI runs the same two steps with libxenctrl opened between
    /// them, so that a refused kernel never reaches it.)
    public func load(_ invocation: LoadInvocation, gate: SecureBootGate, keepIfArmed: Bool = false) async throws(KexecError) -> (LoadOutcome, SecureBootGate.Outcome) {
        let checked = try await gate.check(kernel: invocation.kernel, type: invocation.request.type, logger: logger)
        return (try load(checked.pinning(invocation), keepIfArmed: keepIfArmed), checked)
    }
}

extension SecureBootGate.Outcome {
    /// `invocation` with the verified kernel's SHA-256 as the hash the loaded bytes must have.
    public func pinning(_ invocation: LoadInvocation) -> LoadInvocation {
        var pinned = invocation
        if case .verified(_, let sha256, _) = self { pinned.expectedKernelSHA256 = sha256 }
        return pinned
    }
}
