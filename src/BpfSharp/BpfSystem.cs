using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;

namespace BpfSharp;

/// <summary>
/// One eBPF "kernel": the bpf() command interface over its own fd table, object ids, pin
/// namespace, maps and programs. <see cref="Bpf(BpfCommand, ref BpfAttr, uint)"/> returns what the
/// syscall returns: a fd or 0, or -errno. Safe to call from any number of threads; two systems
/// share nothing.
/// </summary>
/// <remarks>
/// File descriptors are small integers, the lowest free one first, starting at 3: 0-2 stand for a
/// process's standard streams, are never BPF objects and count as open files of another kind
/// (-EINVAL where a BPF object is needed, as the kernel answers for stdin). Every fd and pin holds
/// a reference to its object; a loaded program holds one to each map it uses. Ids (map, program,
/// BTF) grow from 1, wrap before INT_MAX, and are never 0.
/// </remarks>
public sealed unsafe partial class BpfSystem : IDisposable
{
    private readonly BpfSystemOptions _options;
    private readonly HelperRegistry _helpers;

    /// <summary>What the standard helpers of this system see of the host: clock, task, trace pipe, probe memory.</summary>
    public HelperEnvironment HelperEnvironment { get; }
    private readonly FdTable _fds = new();
    private readonly IdTable _mapIds = new();
    private readonly IdTable _progIds = new();
    private readonly IdTable _btfIds = new();
    private readonly PinTable _pins = new();
    private readonly Dictionary<Map, BtfObject> _mapBtf = [];
    private readonly Action<BpfObject> _releasing;
    private readonly StandardStream _standardStream = new();
    private int _disposed;

    /// <summary>Creates an empty system.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options name fewer than one CPU.</exception>
    public BpfSystem(BpfSystemOptions? options = null)
    {
        _options = options ?? new BpfSystemOptions();
        HelperEnvironment = _options.HelperEnvironment ?? new HelperEnvironment();
        _helpers = _options.Helpers ?? StandardHelpers.Create(HelperEnvironment);
        Epochs = new EpochManager();
        MapContext = new MapContext(Epochs, _options.PossibleCpus, _options.MemoryLimit)
        {
            ResolveFd = ResolveFd,
            ProgramOwner = obj => (obj as LoadedProgram)?.TailCallOwner,
        };
        _releasing = OnReleasing;
    }

    /// <summary>The reclamation domain of this system's map memory; program runs enter it.</summary>
    public EpochManager Epochs { get; }

    /// <summary>What this system's maps are created with: epochs, possible CPUs, memory budget.</summary>
    public MapContext MapContext { get; }

    /// <summary>This system's maps by handle (what helpers resolve map pointers with).</summary>
    public MapRegistry Maps { get; } = new();

    /// <summary>Number of possible CPUs.</summary>
    public int PossibleCpus => MapContext.PossibleCpus;

    /// <summary>
    /// The bpf() syscall: runs <paramref name="cmd"/> on <paramref name="attr"/>, of which the caller
    /// passes <paramref name="size"/> bytes (shorter reads as zero-extended; longer must be zero past
    /// <see cref="BpfAttr.Size"/>, else -E2BIG). Returns a fd, 0, or -errno.
    /// </summary>
    public int Bpf(BpfCommand cmd, ref BpfAttr attr, uint size) => Bpf(cmd, ref attr, size, _options.Capabilities);

    /// <summary>
    /// The bpf() syscall made by a caller with <paramref name="capabilities"/> instead of the system's
    /// <see cref="BpfSystemOptions.Capabilities"/>: they decide which program types may be loaded and what
    /// the verifier allows (pointer leaks, bounded loops, speculation checks).
    /// </summary>
    public int Bpf(BpfCommand cmd, ref BpfAttr attr, uint size, BpfCapabilities capabilities)
    {
        fixed (BpfAttr* p = &attr)
            return Dispatch(cmd, (byte*)p, size, BpfAttr.Size, capabilities);
    }

    /// <summary>The bpf() syscall on an attr given as bytes (its length is the size argument).</summary>
    public int Bpf(BpfCommand cmd, Span<byte> attr)
    {
        fixed (byte* p = attr)
            return Dispatch(cmd, p, (uint)attr.Length, (uint)attr.Length, _options.Capabilities);
    }

    /// <summary>Closes a fd: 0, or -EBADF if it is not an open BPF fd of this system.</summary>
    public int Close(int fd)
    {
        BpfObject? obj = _fds.Remove(fd, out _);
        if (obj is null) return -Errno.EBADF;
        DropUserReference(obj);
        return 0;
    }

    /// <summary>Removes a pin (the unlink of a bpffs file): 0, or -ENOENT.</summary>
    public int Unpin(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        BpfObject? obj = _pins.Remove(path);
        if (obj is null) return -Errno.ENOENT;
        DropUserReference(obj);
        return 0;
    }

    /// <summary>Closes every fd and removes every pin, which frees every object nothing else holds; then frees the map memory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (BpfObject obj in _fds.CloseAll())
            DropUserReference(obj);
        foreach (BpfObject obj in _pins.Clear())
            DropUserReference(obj);
        Epochs.Dispose();
    }

    /// <summary>The object behind <paramref name="fd"/> with a new reference: 0, -EBADF, or 0 and null for fds 0-2.</summary>
    internal int GetObject(int fd, out BpfObject? obj) => _fds.Get(fd, out obj, out _);

    private int Dispatch(BpfCommand cmd, byte* user, uint size, uint writable, BpfCapabilities caps)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int err = AttrLayout.CheckTail(user, BpfAttr.Size, size);
        if (err < 0) return err;
        BpfAttr attr = default;
        Buffer.MemoryCopy(user, &attr, BpfAttr.Size, Math.Min(size, BpfAttr.Size));
        int end = AttrLayout.EndOf(cmd);
        if (end < 0 || !AttrLayout.UnusedAreZero(attr, end)) return -Errno.EINVAL;
        var io = new AttrOut(user, writable);
        return cmd switch
        {
            BpfCommand.MapCreate => MapCreate(ref attr, caps),
            BpfCommand.MapLookupElem => MapLookupElem(ref attr),
            BpfCommand.MapUpdateElem => MapUpdateElem(ref attr),
            BpfCommand.MapDeleteElem => MapDeleteElem(ref attr),
            BpfCommand.MapGetNextKey => MapGetNextKey(ref attr),
            BpfCommand.MapLookupAndDeleteElem => MapLookupAndDeleteElem(ref attr),
            BpfCommand.MapFreeze => MapFreeze(ref attr),
            BpfCommand.MapLookupBatch or BpfCommand.MapLookupAndDeleteBatch or BpfCommand.MapUpdateBatch
                or BpfCommand.MapDeleteBatch => MapBatchCommand(cmd, ref attr, io),
            BpfCommand.ProgLoad => ProgLoad(ref attr, caps),
            BpfCommand.ProgTestRun => ProgTestRun(ref attr, io),
            BpfCommand.ObjPin => ObjPin(ref attr),
            BpfCommand.ObjGet => ObjGet(ref attr),
            BpfCommand.ObjGetInfoByFd => ObjGetInfoByFd(ref attr, io),
            BpfCommand.MapGetNextId => GetNextId(_mapIds, ref attr, io),
            BpfCommand.ProgGetNextId => GetNextId(_progIds, ref attr, io),
            BpfCommand.BtfGetNextId => GetNextId(_btfIds, ref attr, io),
            BpfCommand.MapGetFdById => MapGetFdById(ref attr),
            BpfCommand.ProgGetFdById => GetFdById(_progIds, attr.GetId.ProgId),
            BpfCommand.BtfGetFdById => GetFdById(_btfIds, attr.GetId.BtfId),
            BpfCommand.BtfLoad => BtfLoad(ref attr),
            _ => -Errno.EINVAL,
        };
    }
}
