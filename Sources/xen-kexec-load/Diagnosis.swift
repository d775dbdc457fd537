import ArgumentParser
import KexecImage
import KexecPlan
import Logging
import SystemPackage
import XenKexec

/// The CLI edge: a ``KexecError`` becomes one line that says what to do, and one exit code
/// from ``ToolExit``. Pure; tested case by case.
struct Diagnosis: Equatable {
    var message: String
    var exit: ToolExit
    /// A short stable name for JSON output.
    var kind: String

    init(_ error: KexecError) {
        (message, exit, kind) = Self.describe(error)
    }

    private static func mib(_ r: AddressRange) -> String {
        "\(r.size / (1 << 20)) MiB"
    }

    private static func regionText(_ r: AddressRange?) -> String {
        guard let r else { return "the crash region" }
        return "the \(mib(r)) crash region \(hex(r.start))-\(hex(r.start &+ r.size &- 1))"
    }

    private static func typeName(_ raw: UInt8) -> String {
        LoadType(rawValue: raw)?.name ?? "type-\(raw)"
    }

    private static func errnoName(_ e: Errno) -> String {
        XenErrno.name(e.rawValue)
    }

    /// The message, the exit code and the JSON kind of `error`: the exit comes from the kind
    /// (``DiagnosisKind/exit``), except for a file that changed while it was read (try again)
    /// and a lock refused with EACCES (a permission problem).
    static func describe(_ error: KexecError) -> (String, ToolExit, String) {
        let (message, kind) = explain(error)
        return (message, exit(error, kind), kind.rawValue)
    }

    private static func exit(_ error: KexecError, _ kind: DiagnosisKind) -> ToolExit {
        switch error {
        case .fileChanged: .tempFail
        case .lockFailed(_, let e) where e == .permissionDenied: .noPermission
        case .reloadRefused(let cause, _): exit(cause, kind)
        default: kind.exit
        }
    }

    /// What to say about `error`, and its kind.
    private static func explain(_ error: KexecError) -> (String, DiagnosisKind) {
        switch error {
        case .hostUnavailable(let problem):
            switch problem {
            case .notXen:
                return ("not a Xen dom0: this machine is not running on the Xen hypervisor (no /proc/xen, /sys/hypervisor/type is not xen); run xen-kexec-load in dom0, or use `plan` offline", .notDom0)
            case .xenfsNotMounted:
                return ("not a usable Xen dom0: xenfs is not mounted on /proc/xen; run `modprobe xenfs && mount -t xenfs xenfs /proc/xen`", .xenfsNotMounted)
            case .notDom0(let caps):
                return ("not a Xen dom0: this is a Xen guest (/proc/xen/capabilities is \"\(caps)\", without control_d); load crash kernels from dom0", .notDom0)
            case .noPrivcmd:
                return ("no /dev/xen/privcmd: load the privcmd driver with `modprobe xen-privcmd` and retry", .noPrivcmd)
            case .notRoot(let uid):
                return ("must run as root (running as uid \(uid)): Xen's kexec interface is privileged", .notRoot)
            }
        case .interfaceOpenFailed(let e):
            if e == .permissionDenied || e == .notPermitted {
                return ("cannot open libxenctrl (\(errnoName(e))): run as root in dom0", .notPermitted)
            }
            return ("cannot open libxenctrl (\(errnoName(e)): \(e)); check that /dev/xen/privcmd works in this dom0", .xenctrlUnavailable)
        case .noCrashRegion:
            return ("Xen reserved no crash region: add crashkernel=<size> (e.g. crashkernel=256M) to Xen's command line, not dom0's, and reboot", .noCrashRegion)
        case .segmentOutsideCrashRegion(let region):
            return ("Xen refused the load (EADDRNOTAVAIL): a segment or the entry lies outside \(regionText(region)) or is not page aligned; check the plan with `load --dry-run` and report it", .outsideCrashRegion)
        case .efiLoadTypeUnsupported:
            return ("Xen refused the crash-efi load (EINVAL): this Xen does not implement the EFI load type; load without --efi or update Xen", .efiTypeUnsupported)
        case .loadRejected(let type, let e):
            return ("Xen refused the \(typeName(type)) load (\(errnoName(e))): the plan breaks a rule of Xen's that the preflight missed; check it with `load --dry-run -v` and report it", .loadRejected)
        case .busy(let call):
            return ("Xen is busy (EBUSY on \(call.rawValue)): a kexec is in progress; try again later", .busy)
        case .outOfMemory(let region):
            return ("Xen ran out of memory for the load (ENOMEM): \(regionText(region)) has no room left for the image plus Xen's page tables; reserve more with crashkernel= on Xen's command line or use a smaller initrd", .outOfMemory)
        case .notPermitted(let call):
            return ("Xen refused \(call.rawValue) (EPERM): only dom0's root may use kexec, and a security policy (XSM, lockdown) may forbid this load type", .notPermitted)
        case .nothingLoaded(let type):
            return ("no \(typeName(type)) image is loaded (ENOENT); load one first with `xen-kexec-load load`", .nothingLoaded)
        case .kexecUnsupported(let call):
            return ("this Xen does not support kexec (\(call.rawValue) answered ENOSYS/EOPNOTSUPP); use a Xen built with kexec", .kexecUnsupported)
        case .hypercallFailed(let f):
            return ("\(f.call.rawValue) failed: \(f.errno) (\(errnoName(f.errno))); run with -vv for libxenctrl's messages", .hypercallFailed)
        case .payloadAllocationFailed(let bytes, let e):
            return ("cannot allocate \(bytes) bytes of hypercall memory (\(errnoName(e))); free memory in dom0 and retry", .allocationFailed)
        case .execReturned(let type):
            return ("Xen returned from exec of the \(typeName(type)) image without running it", .execReturned)
        case .plan(let e):
            return (e.description, planKind(e))
        case .planSegmentWithoutInitrd(let i, let role):
            return ("the plan's segment \(i) (\(role?.rawValue ?? "raw")) reads an initrd that was not given; this is a planner bug, please report it", .planInconsistent)
        case .planSegmentOutsideFile(let i, let role, let range, let bytes):
            return ("the plan's segment \(i) (\(role?.rawValue ?? "raw")) reads bytes \(range) of a \(bytes)-byte file; this is a planner bug, please report it", .planInconsistent)
        case .fileUnavailable(let path, let e):
            // Debian kdump-tools builds its kdump initrds in /var/lib/kdump from its kernel hook.
            let hint = e == .noSuchFileOrDirectory && path.string.hasPrefix("\(KdumpToolsDefaults.kdumpDirectory)/initrd.img-")
                ? "; kdump-tools builds it when a kernel is installed: run `/etc/kernel/postinst.d/kdump-tools \(path.lastComponent.map { String($0.string.dropFirst("initrd.img-".count)) } ?? "<release>")`"
                : ""
            return ("cannot read \(path): \(e)\(hint)", .fileUnavailable)
        case .untrustedFile(let path, let problem):
            switch problem {
            case .notRegularFile:
                return ("refusing \(path): not a regular file", .untrustedFile)
            case .writableByOthers(let mode):
                return ("refusing \(path): writable by group or others (mode 0\(String(mode, radix: 8))); a crash kernel runs with full privilege, so run `chmod go-w \(path)`", .untrustedFile)
            case .notOwnedByRoot(let uid):
                return ("refusing \(path): owned by uid \(uid), not root; a crash kernel runs with full privilege, so run `chown root \(path)`", .untrustedFile)
            }
        case .fileChanged(let path):
            return ("\(path) changed while it was being read; try again", .fileChanged)
        case .fileHashChanged(let path, let recorded, let now):
            return ("\(path) changed since it was loaded (sha256 was \(recorded.prefix(16))…, is \(now.prefix(16))…)", .fileChanged)
        case .armedImageChanged(let kernel, let initrd, let recorded, let now):
            let files = initrd.map { "\(kernel) or \($0)" } ?? "\(kernel)"
            return ("\(files) changed since it was loaded (the previous image re-made from them has plan digest \(now.prefix(16))…, not the armed \(recorded.prefix(16))…)", .fileChanged)
        case .secureBootRefused(let refusal):
            return (SecureBootText.refusal(refusal), .secureBootRefused)
        case .reloadRefused(let cause, let restore):
            let (message, kind) = explain(cause)
            return ("\(message); \(restoreText(restore))", kind)
        case .badConfiguration(let path, let reason):
            return ("\(path): \(reason); fix the file (see xen-kexec-load(8))", .badConfiguration)
        case .lockTimeout(let path, let seconds):
            return ("another xen-kexec-load holds \(path) (waited \(seconds) s); try again when it has finished", .lockTimeout)
        case .lockFailed(let path, let e):
            return ("cannot lock \(path): \(e)", .lockFailed)
        case .lockUntrusted(let path, let problem):
            let what = switch problem {
            case .notRegularFile: "not a regular file (a link or another file type)"
            case .writableByOthers(let mode): "writable by group or others (mode 0\(String(mode, radix: 8)))"
            case .notOwnedByRoot(let uid): "owned by uid \(uid), not root"
            }
            return ("refusing the lock \(path): \(what), so another user could hold it; remove it (`rm -rf \(path)`) and run again", .lockUntrusted)
        case .recordUnwritable(let path, let e):
            return ("cannot write \(path): \(e); `status` will not know what is armed", .recordUnwritable)
        }
    }

    /// The JSON `kind` of a plan error.
    private static func planKind(_ e: PlanError) -> DiagnosisKind {
        switch e {
        case .noCrashRegion: .noCrashRegion
        case .acpiRsdp: .acpiRsdp
        case .refusedByXen: .xenRulesRefused
        default: .planFailed
        }
    }

    static func restoreText(_ outcome: RestoreOutcome) -> String {
        switch outcome {
        case .restored(let digest):
            return "the previous crash kernel (digest \(digest)) was re-armed"
        case .skipped:
            return "the restore was skipped (test fault injection): the crash slot was left as Xen left it and may hold a damaged image"
        case .nothingToRestore(let disarmed):
            return disarmed
                ? "NO CRASH KERNEL IS ARMED: the slot was unloaded because the refused load may have damaged it; fix the error and load again"
                : "the slot may hold a damaged image and could not be unloaded; run `xen-kexec-load unload` and load again"
        case .failed(let reason, let disarmed):
            let (m, _) = explain(reason)
            return disarmed
                ? "NO CRASH KERNEL IS ARMED: re-arming the previous image failed: \(m)"
                : "the slot may hold a damaged image (re-arming failed: \(m)); run `xen-kexec-load unload` and load again"
        }
    }
}

/// Runs a command body and turns a ``KexecError`` into a logged line (and a JSON error on
/// stdout with `--json`) plus the exit code.
func reportingErrors(json: Bool, logger: Logger, _ body: () throws(KexecError) -> Void) throws {
    do { try body() } catch { throw Diagnosis(error).report(json: json, logger: logger) }
}

/// ``reportingErrors(json:logger:_:)`` for an async body (the Secure Boot gate).
func reportingErrors(json: Bool, logger: Logger, _ body: () async throws(KexecError) -> Void) async throws {
    do { try await body() } catch { throw Diagnosis(error).report(json: json, logger: logger) }
}

extension Diagnosis {
    /// Logs the message (and prints the JSON error with `--json`); returns the exit to throw.
    func report(json: Bool, logger: Logger) -> ExitCode {
        logger.error("\(message)")
        if json {
            Output.json(BackendJSON.error(kind: kind, message: message, exitCode: exit.rawValue))
        }
        return exit.code
    }
}

/// stdout, for data only.
enum Output {
    static func line(_ s: String) {
        _ = try? FileDescriptor.standardOutput.writeAll(Array((s + "\n").utf8))
    }

    static func json(_ s: String) {
        line(s)
    }

    /// Text that already ends with a newline.
    static func text(_ s: String) {
        _ = try? FileDescriptor.standardOutput.writeAll(Array(s.utf8))
    }
}
