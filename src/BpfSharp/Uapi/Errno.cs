namespace BpfSharp.Uapi;

/// <summary>The Linux x86-64 errno values the bpf() interface returns (negated) and the typed API carries.</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such entry (missing key, missing object, last key).</summary>
    public const int ENOENT = 2;
    /// <summary>No such process.</summary>
    public const int ESRCH = 3;
    /// <summary>Interrupted: a test run was cut short (the kernel: a pending signal; here: the run's instruction budget).</summary>
    public const int EINTR = 4;
    /// <summary>No such device or address: PROG_TEST_RUN on a CPU that does not exist.</summary>
    public const int ENXIO = 6;
    /// <summary>Argument list too long: map full, attr too long with a non-zero tail, program too large.</summary>
    public const int E2BIG = 7;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>Try again.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory, or a configured memory limit is reached.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied: the verifier rejected an unsafe program.</summary>
    public const int EACCES = 13;
    /// <summary>Bad address: a pointer in the attr does not point to readable or writable memory.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>File exists: BPF_NOEXIST on an existing key, pinning over an existing path.</summary>
    public const int EEXIST = 17;
    /// <summary>No such device: a test run's ctx_in names an ifindex that does not exist.</summary>
    public const int ENODEV = 19;
    /// <summary>Not a directory.</summary>
    public const int ENOTDIR = 20;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>No space left: the verifier log buffer is too small.</summary>
    public const int ENOSPC = 28;
    /// <summary>Result out of range.</summary>
    public const int ERANGE = 34;
    /// <summary>File name too long: a pin path without a NUL within PATH_MAX bytes.</summary>
    public const int ENAMETOOLONG = 36;
    /// <summary>Too many symbolic links / loop (tail call limit).</summary>
    public const int ELOOP = 40;
    /// <summary>No data available: a user ring buffer with no submitted sample (kernel-internal to bpf_user_ringbuf_drain).</summary>
    public const int ENODATA = 61;
    /// <summary>Protocol error: PROG_LOAD with a map index (BPF_PSEUDO_MAP_IDX) but no fd_array.</summary>
    public const int EPROTO = 71;
    /// <summary>File descriptor in bad state: OBJ_GET_INFO_BY_FD on a fd that is not open.</summary>
    public const int EBADFD = 77;
    /// <summary>Value too large for defined data type.</summary>
    public const int EOVERFLOW = 75;
    /// <summary>Socket operation on non-socket.</summary>
    public const int ENOTSOCK = 88;
    /// <summary>Operation not supported on this object.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Address family not supported by protocol.</summary>
    public const int EAFNOSUPPORT = 97;
    /// <summary>The kernel-internal "operation is not supported" (524) that bpf() lets through.</summary>
    public const int ENOTSUPP = 524;

    /// <summary>The symbolic name of an errno value ("ENOENT"), or its number.</summary>
    public static string Name(int errno) => Math.Abs(errno) switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", ENXIO => "ENXIO", E2BIG => "E2BIG", EBADF => "EBADF",
        EAGAIN => "EAGAIN", ENOMEM => "ENOMEM", EACCES => "EACCES", EFAULT => "EFAULT", EBUSY => "EBUSY",
        EEXIST => "EEXIST", ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EINVAL => "EINVAL", ENOSPC => "ENOSPC", ERANGE => "ERANGE",
        ENAMETOOLONG => "ENAMETOOLONG", ELOOP => "ELOOP", ENODATA => "ENODATA", EPROTO => "EPROTO", EBADFD => "EBADFD",
        EOPNOTSUPP => "EOPNOTSUPP", EAFNOSUPPORT => "EAFNOSUPPORT", EOVERFLOW => "EOVERFLOW", ENOTSOCK => "ENOTSOCK", ENOTSUPP => "ENOTSUPP",
        int other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
