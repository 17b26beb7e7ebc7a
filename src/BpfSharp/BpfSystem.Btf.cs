using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// BTF_LOAD.
public sealed unsafe partial class BpfSystem
{
    /// <summary>BTF_MAX_SIZE: the largest BTF blob BTF_LOAD accepts.</summary>
    public const int MaxBtfSize = 16 * 1024 * 1024;

    // kernel: bpf_btf_load / btf_parse. A blob that does not parse is -EINVAL with the reason in the log.
    private int BtfLoad(ref BpfAttr attr)
    {
        BtfLoadAttr a = attr.BtfLoad;
        if (a.BtfSize > MaxBtfSize) return -Errno.E2BIG;
        int err = BpfLog.Validate(a.BtfLogLevel, a.BtfLogBuf, a.BtfLogSize);
        if (err < 0) return err;
        byte[] data = new byte[a.BtfSize];
        fixed (byte* p = data)
        {
            if (UserMemory.CopyFrom(a.Btf, p, a.BtfSize) < 0) return -Errno.EFAULT;
        }
        IBtfTypes? types = _options.ParseBtf(data, out int parseErrno, out string? reason);
        if (types is null)
        {
            // The kernel ends the BTF log with the reason, without a newline.
            int logErr = BpfLog.Write(a.BtfLogLevel, a.BtfLogBuf, a.BtfLogSize, reason ?? "Invalid BTF");
            return logErr < 0 ? logErr : -Math.Abs(parseErrno == 0 ? Errno.EINVAL : parseErrno);
        }
        int written = BpfLog.Write(a.BtfLogLevel, a.BtfLogBuf, a.BtfLogSize, "");
        if (written < 0) return written;
        var btf = new BtfObject(data, types) { Releasing = _releasing };
        _btfIds.Allocate(btf);
        return InstallObject(btf);
    }
}
