/// Linux/Xen errno values the kexec hypercalls answer with (`xen/include/public/errno.h`).
public enum XenErrno {
    public static let EINVAL: Int32 = 22
    public static let ENOMEM: Int32 = 12
    public static let EADDRNOTAVAIL: Int32 = 99

    /// The symbolic name of an errno the kexec hypercalls answer with (the values Xen's
    /// `xen/include/public/errno.h` shares with Linux), `errno N` for any other.
    public static func name(_ e: Int32) -> String {
        switch e {
        case 1: "EPERM"
        case 2: "ENOENT"
        case ENOMEM: "ENOMEM"
        case 13: "EACCES"
        case 14: "EFAULT"
        case 16: "EBUSY"
        case EINVAL: "EINVAL"
        case 34: "ERANGE"
        case 38: "ENOSYS"
        case 95: "EOPNOTSUPP"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        default: "errno \(e)"
        }
    }
}
