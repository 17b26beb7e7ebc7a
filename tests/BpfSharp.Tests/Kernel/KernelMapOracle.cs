using System.Runtime.InteropServices;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The live kernel's maps as a test oracle over <see cref="KernelBpf"/>'s map commands, in the array
/// form the map tests use: a null key or value array passes a null pointer. Adds MAP_FREEZE and
/// OBJ_GET_INFO_BY_FD (ids). Results are what the syscall returns: an fd, 0, or -errno.
/// </summary>
internal static unsafe class KernelMapOracle
{
    private const int MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3, MapGetNextKey = 4,
        ObjGetInfoByFd = 15, MapLookupAndDeleteElem = 21, MapFreeze = 22;

    /// <summary>True when bpf() works here (the program probe of <see cref="KernelBpf"/>).</summary>
    public static bool IsAvailable => KernelBpf.IsAvailable;

    /// <summary>The kernel's number of possible CPUs, the slot count of per-CPU values.</summary>
    public static int PossibleCpus => KernelBpf.PossibleCpus;

    /// <summary>BPF_MAP_CREATE: the map fd, or -errno.</summary>
    public static int Create(uint type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0,
        int innerMapFd = 0, uint numaNode = 0, ulong mapExtra = 0) =>
        KernelBpf.MapCreate(type, keySize, valueSize, maxEntries, flags, innerMapFd, numaNode, mapExtra);

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
        KernelBpf.ElemAttr attr = default;
        attr.MapFd = (uint)fd;
        return KernelBpf.Bpf(MapFreeze, &attr, sizeof(KernelBpf.ElemAttr));
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
        int rc = KernelBpf.Bpf(ObjGetInfoByFd, &attr, sizeof(InfoAttr));
        return rc < 0 ? 0 : *(uint*)(info + 4);
    }

    /// <summary>Loads <c>r0 = 0; exit</c> as a program of <paramref name="progType"/>: its fd, or -errno.</summary>
    public static int LoadTrivialProgram(uint progType) =>
        KernelBpf.ProgLoad(progType, [Asm.Mov64Imm(Reg.R0, 0), Asm.Exit()], out _);

    /// <summary>Closes an fd.</summary>
    public static void Close(int fd) => KernelBpf.Close(fd);

    // A null array passes a null pointer: it becomes an empty span, which `fixed` pins as null.
    private static int Elem(int cmd, int fd, byte[]? key, byte[]? value, ulong flags) =>
        KernelBpf.ElemCommand(cmd, fd, key, value, flags);

    /// <summary>The BPF_OBJ_GET_INFO_BY_FD member of <c>union bpf_attr</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct InfoAttr
    {
        [FieldOffset(0)] public uint BpfFd;
        [FieldOffset(4)] public uint InfoLen;
        [FieldOffset(8)] public ulong Info;
    }
}
