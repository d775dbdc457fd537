/// Linux/Xen errno values the kexec load checks answer with (`xen/include/public/errno.h`).
public enum XenErrno {
    public static let EINVAL: Int32 = 22
    public static let ENOMEM: Int32 = 12
    public static let EADDRNOTAVAIL: Int32 = 99

    public static func name(_ e: Int32) -> String {
        switch e {
        case EINVAL: "EINVAL"
        case ENOMEM: "ENOMEM"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        default: "errno \(e)"
        }
    }
}
