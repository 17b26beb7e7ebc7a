using System.Runtime.InteropServices;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The live kernel's maps as a test oracle: bpf() MAP_CREATE, the MAP_*_ELEM commands, MAP_FREEZE and
/// OBJ_GET_INFO_BY_FD (ids), laid out as <c>union bpf_attr</c> in linux/bpf.h. Results are what the
/// syscall returns: an fd, 0, or -errno. A null key or value array passes a null pointer.
/// </summary>
internal static unsafe class KernelMapOracle
{
    private const long SysBpf = 321; // __NR_bpf on x86-64
    private const int MapCreate = 0, MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3,
        MapGetNextKey = 4, ObjGetInfoByFd = 15, MapLookupAndDeleteElem = 21, MapFreeze = 22;

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long cmd, void* attr, long size);

    /// <summary>True when bpf() works here (the program probe of <see cref="KernelBpf"/>).</summary>
    public static bool IsAvailable => KernelBpf.IsAvailable;

    private static readonly Lazy<int> Cpus = new(ReadPossibleCpus);

    /// <summary>The kernel's number of possible CPUs (/sys/devices/system/cpu/possible), the slot count of per-CPU values.</summary>
    public static int PossibleCpus => Cpus.Value;

    private static int ReadPossibleCpus()
    {
        // "0-1" or "0" or "0-3,5": the highest CPU number + 1, as libbpf counts.
        string text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
        int max = 0;
        foreach (string range in text.Split(','))
        {
            string last = range.Contains('-') ? range[(range.IndexOf('-') + 1)..] : range;
            max = Math.Max(max, int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
        }
        return max + 1;
    }

    /// <summary>BPF_MAP_CREATE: the map fd, or -errno.</summary>
    public static int Create(uint type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0,
        int innerMapFd = 0, uint numaNode = 0, ulong mapExtra = 0)
    {
        MapCreateAttr attr = default;
        attr.MapType = type;
        attr.KeySize = keySize;
        attr.ValueSize = valueSize;
        attr.MaxEntries = maxEntries;
        attr.MapFlags = flags;
        attr.InnerMapFd = (uint)innerMapFd;
        attr.NumaNode = numaNode;
        attr.MapExtra = mapExtra;
        return Bpf(MapCreate, &attr, sizeof(MapCreateAttr));
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM.</summary>
    public static int Lookup(int fd, byte[]? key, byte[]? value, ulong flags = 0) => Elem(MapLookupElem, fd, key, value, flags);

    /// <summary>BPF_MAP_UPDATE_ELEM.</summary>
    public static int Update(int fd, byte[]? key, byte[]? value, ulong flags = 0) => Elem(MapUpdateElem, fd, key, value, flags);

    /// <summary>BPF_MAP_DELETE_ELEM.</summary>
    public static int Delete(int fd, byte[]? key) => Elem(MapDeleteElem, fd, key, null, 0);

    /// <summary>BPF_MAP_GET_NEXT_KEY.</summary>
    public static int GetNextKey(int fd, byte[]? key, byte[]? nextKey) => Elem(MapGetNextKey, fd, key, nextKey, 0);

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM.</summary>
    public static int LookupAndDelete(int fd, byte[]? key, byte[]? value, ulong flags = 0) =>
        Elem(MapLookupAndDeleteElem, fd, key, value, flags);

    /// <summary>BPF_MAP_FREEZE.</summary>
    public static int Freeze(int fd)
    {
        ElemAttr attr = default;
        attr.MapFd = (uint)fd;
        return Bpf(MapFreeze, &attr, sizeof(ElemAttr));
    }

    /// <summary>The id of the map or program <paramref name="fd"/> (OBJ_GET_INFO_BY_FD; id is the second u32 of both infos).</summary>
    public static uint IdOf(int fd)
    {
        byte* info = stackalloc byte[256];
        new Span<byte>(info, 256).Clear();
        InfoAttr attr = default;
        attr.BpfFd = (uint)fd;
        attr.InfoLen = 256;
        attr.Info = (ulong)info;
        int rc = Bpf(ObjGetInfoByFd, &attr, sizeof(InfoAttr));
        return rc < 0 ? 0 : *(uint*)(info + 4);
    }

    /// <summary>Loads <c>r0 = 0; exit</c> as a program of <paramref name="progType"/>: its fd, or -errno.</summary>
    public static int LoadTrivialProgram(uint progType) =>
        KernelBpf.ProgLoad(progType, [Asm.Mov64Imm(Reg.R0, 0), Asm.Exit()], out _);

    /// <summary>Closes an fd.</summary>
    public static void Close(int fd) => KernelBpf.Close(fd);

    private static int Elem(int cmd, int fd, byte[]? key, byte[]? value, ulong flags)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            ElemAttr attr = default;
            attr.MapFd = (uint)fd;
            attr.Key = key is null ? 0 : (ulong)k;
            attr.Value = value is null ? 0 : (ulong)v;
            attr.Flags = flags;
            return Bpf(cmd, &attr, sizeof(ElemAttr));
        }
    }

    private static int Bpf(int cmd, void* attr, int size)
    {
        // A load interrupted by a signal (the runtime's GC suspension) fails with EAGAIN/EINTR: load again.
        for (int attempt = 0; ; attempt++)
        {
            long rc = Syscall(SysBpf, cmd, attr, size);
            if (rc >= 0) return (int)rc;
            int errno = Marshal.GetLastPInvokeError();
            if (cmd != 5 /* BPF_PROG_LOAD */ || errno is not (11 or 4) || attempt >= 20) return -errno;
        }
    }

    /// <summary>The BPF_MAP_CREATE member of <c>union bpf_attr</c> (through map_token_fd).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    private struct MapCreateAttr
    {
        [FieldOffset(0)] public uint MapType;
        [FieldOffset(4)] public uint KeySize;
        [FieldOffset(8)] public uint ValueSize;
        [FieldOffset(12)] public uint MaxEntries;
        [FieldOffset(16)] public uint MapFlags;
        [FieldOffset(20)] public uint InnerMapFd;
        [FieldOffset(24)] public uint NumaNode;
        [FieldOffset(28)] public fixed byte MapName[16];
        [FieldOffset(44)] public uint MapIfindex;
        [FieldOffset(48)] public uint BtfFd;
        [FieldOffset(52)] public uint BtfKeyTypeId;
        [FieldOffset(56)] public uint BtfValueTypeId;
        [FieldOffset(60)] public uint BtfVmlinuxValueTypeId;
        [FieldOffset(64)] public ulong MapExtra;
        [FieldOffset(72)] public int ValueTypeBtfObjFd;
        [FieldOffset(76)] public int MapTokenFd;
    }

    /// <summary>The BPF_MAP_*_ELEM member of <c>union bpf_attr</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct ElemAttr
    {
        [FieldOffset(0)] public uint MapFd;
        [FieldOffset(8)] public ulong Key;
        [FieldOffset(16)] public ulong Value; // or next_key
        [FieldOffset(24)] public ulong Flags;
    }

    /// <summary>The BPF_OBJ_GET_INFO_BY_FD member of <c>union bpf_attr</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct InfoAttr
    {
        [FieldOffset(0)] public uint BpfFd;
        [FieldOffset(4)] public uint InfoLen;
        [FieldOffset(8)] public ulong Info;
    }
}
