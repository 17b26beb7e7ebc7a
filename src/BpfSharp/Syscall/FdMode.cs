using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>What a fd allows (kernel: FMODE_CAN_READ / FMODE_CAN_WRITE of the file).</summary>
[Flags]
internal enum FdMode : byte
{
    /// <summary>Neither.</summary>
    None = 0,
    /// <summary>User space may read through the fd.</summary>
    Read = 1,
    /// <summary>User space may write through the fd.</summary>
    Write = 2,
    /// <summary>Both (the default).</summary>
    ReadWrite = Read | Write,
}

/// <summary>kernel: bpf_get_file_flag.</summary>
internal static class FdModes
{
    /// <summary>The mode BPF_F_RDONLY / BPF_F_WRONLY ask for; -EINVAL for both.</summary>
    public static int FromFlags(uint flags, out FdMode mode)
    {
        mode = FdMode.ReadWrite;
        bool rdonly = (flags & ProgFlags.BPF_F_RDONLY) != 0, wronly = (flags & ProgFlags.BPF_F_WRONLY) != 0;
        if (rdonly && wronly) return -Errno.EINVAL;
        if (rdonly) mode = FdMode.Read;
        if (wronly) mode = FdMode.Write;
        return 0;
    }
}
