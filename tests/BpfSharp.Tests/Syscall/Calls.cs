using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>bpf() commands spelled out, over any target, for tests.</summary>
internal static unsafe class Calls
{
    public static BpfAttr MapCreateAttr(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string name = "")
    {
        BpfAttr attr = default;
        attr.MapCreate.MapType = (uint)type;
        attr.MapCreate.KeySize = keySize;
        attr.MapCreate.ValueSize = valueSize;
        attr.MapCreate.MaxEntries = maxEntries;
        attr.MapCreate.MapFlags = flags;
        attr.MapCreate.MapName = BpfObjName.From(name);
        return attr;
    }

    public static int CreateMap(this IBpfTarget t, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string name = "")
    {
        BpfAttr attr = MapCreateAttr(type, keySize, valueSize, maxEntries, flags, name);
        return t.Bpf(BpfCommand.MapCreate, ref attr);
    }

    public static int CreateArray(this IBpfTarget t, uint maxEntries = 4, uint valueSize = 8, uint flags = 0) =>
        t.CreateMap(BpfMapType.Array, 4, valueSize, maxEntries, flags);

    public static int CreateHash(this IBpfTarget t, uint maxEntries = 8, uint flags = 0) =>
        t.CreateMap(BpfMapType.Hash, 4, 8, maxEntries, flags);

    public static int Update(this IBpfTarget t, int fd, uint key, ulong value, ulong flags = 0)
    {
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        attr.MapElem.Value = (ulong)&value;
        attr.MapElem.Flags = flags;
        return t.Bpf(BpfCommand.MapUpdateElem, ref attr);
    }

    public static int Lookup(this IBpfTarget t, int fd, uint key, out ulong value, ulong flags = 0)
    {
        ulong v = 0;
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        attr.MapElem.Value = (ulong)&v;
        attr.MapElem.Flags = flags;
        int rc = t.Bpf(BpfCommand.MapLookupElem, ref attr);
        value = v;
        return rc;
    }

    public static int Delete(this IBpfTarget t, int fd, uint key)
    {
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)&key;
        return t.Bpf(BpfCommand.MapDeleteElem, ref attr);
    }

    public static int NextKey(this IBpfTarget t, int fd, uint? key, out uint next)
    {
        uint k = key ?? 0, n = 0;
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = key is null ? 0 : (ulong)&k;
        attr.MapElem.NextKey = (ulong)&n;
        int rc = t.Bpf(BpfCommand.MapGetNextKey, ref attr);
        next = n;
        return rc;
    }

    public static int Freeze(this IBpfTarget t, int fd)
    {
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        return t.Bpf(BpfCommand.MapFreeze, ref attr);
    }

    /// <summary>PROG_LOAD with a log; the log text comes back in <paramref name="log"/>.</summary>
    public static int Load(this IBpfTarget t, ReadOnlySpan<Instruction> insns, out string log,
        BpfProgType type = BpfProgType.SocketFilter, uint flags = 0, string name = "",
        int logSize = 4096, uint logLevel = 1, ReadOnlySpan<int> fdArray = default, string license = "GPL")
    {
        byte[] logBuffer = new byte[Math.Max(logSize, 1)];
        byte[] licenseBytes = System.Text.Encoding.ASCII.GetBytes(license + "\0");
        int rc;
        fixed (Instruction* ip = insns)
        fixed (byte* lp = logBuffer)
        fixed (byte* lic = licenseBytes)
        fixed (int* fa = fdArray)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)type;
            attr.ProgLoad.InsnCnt = (uint)insns.Length;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)lic;
            attr.ProgLoad.ProgFlags = flags;
            attr.ProgLoad.ProgName = BpfObjName.From(name);
            attr.ProgLoad.FdArray = (ulong)fa;
            if (logSize > 0 && logLevel > 0)
            {
                attr.ProgLoad.LogLevel = logLevel;
                attr.ProgLoad.LogSize = (uint)logSize;
                attr.ProgLoad.LogBuf = (ulong)lp;
            }
            rc = t.Bpf(BpfCommand.ProgLoad, ref attr);
        }
        int end = Array.IndexOf(logBuffer, (byte)0);
        log = System.Text.Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        return rc;
    }

    public static int Load(this IBpfTarget t, params Instruction[] insns) => t.Load(insns, out _);

    /// <summary>PROG_TEST_RUN on <paramref name="data"/>; the attr after the call comes back.</summary>
    public static int TestRun(this IBpfTarget t, int fd, byte[]? data, out TestRunAttr result, uint repeat = 1,
        byte[]? dataOut = null, uint dataSizeOut = 0)
    {
        BpfAttr attr = default;
        int rc;
        fixed (byte* dp = data)
        fixed (byte* op = dataOut)
        {
            attr.TestRun.ProgFd = (uint)fd;
            attr.TestRun.DataIn = (ulong)dp;
            attr.TestRun.DataSizeIn = (uint)(data?.Length ?? 0);
            attr.TestRun.DataOut = (ulong)op;
            attr.TestRun.DataSizeOut = dataSizeOut;
            attr.TestRun.Repeat = repeat;
            rc = t.Bpf(BpfCommand.ProgTestRun, ref attr);
        }
        result = attr.TestRun;
        return rc;
    }

    public static int Pin(this IBpfTarget t, int fd, string path)
    {
        byte[] p = System.Text.Encoding.ASCII.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            BpfAttr attr = default;
            attr.Obj.Pathname = (ulong)pp;
            attr.Obj.BpfFd = (uint)fd;
            return t.Bpf(BpfCommand.ObjPin, ref attr);
        }
    }

    public static int Get(this IBpfTarget t, string path, uint flags = 0)
    {
        byte[] p = System.Text.Encoding.ASCII.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            BpfAttr attr = default;
            attr.Obj.Pathname = (ulong)pp;
            attr.Obj.FileFlags = flags;
            return t.Bpf(BpfCommand.ObjGet, ref attr);
        }
    }

    public static int MapInfo(this IBpfTarget t, int fd, out BpfMapInfo info)
    {
        BpfMapInfo i = default;
        BpfAttr attr = default;
        attr.Info.BpfFd = (uint)fd;
        attr.Info.InfoLen = (uint)sizeof(BpfMapInfo);
        attr.Info.Info = (ulong)&i;
        int rc = t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr);
        info = i;
        return rc;
    }

    public static int ProgInfo(this IBpfTarget t, int fd, out BpfProgInfo info)
    {
        BpfProgInfo i = default;
        BpfAttr attr = default;
        attr.Info.BpfFd = (uint)fd;
        attr.Info.InfoLen = (uint)sizeof(BpfProgInfo);
        attr.Info.Info = (ulong)&i;
        int rc = t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr);
        info = i;
        return rc;
    }

    /// <summary>BTF_LOAD of <paramref name="blob"/>; the log text comes back.</summary>
    public static int LoadBtf(this IBpfTarget t, byte[] blob, out string log, int logSize = 1024)
    {
        byte[] logBuffer = new byte[logSize];
        int rc;
        fixed (byte* bp = blob)
        fixed (byte* lp = logBuffer)
        {
            BpfAttr attr = default;
            attr.BtfLoad.Btf = (ulong)bp;
            attr.BtfLoad.BtfSize = (uint)blob.Length;
            attr.BtfLoad.BtfLogBuf = (ulong)lp;
            attr.BtfLoad.BtfLogSize = (uint)logSize;
            attr.BtfLoad.BtfLogLevel = 1;
            rc = t.Bpf(BpfCommand.BtfLoad, ref attr);
        }
        int end = Array.IndexOf(logBuffer, (byte)0);
        log = System.Text.Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        return rc;
    }

    /// <summary>The attr as bytes of <paramref name="length"/> (zero-padded or cut).</summary>
    public static byte[] Bytes(in BpfAttr attr, int length)
    {
        var bytes = new byte[length];
        fixed (BpfAttr* p = &attr)
            new ReadOnlySpan<byte>(p, Math.Min(length, BpfAttr.Size)).CopyTo(bytes);
        return bytes;
    }
}
