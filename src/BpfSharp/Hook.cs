using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// An event point in a .NET host where programs of one type run (the kernel's attach points: a tracepoint, a
/// kprobe, an XDP device): programs are attached with <see cref="Attach"/> and run, in attach order, every time the
/// host fires the event. <see cref="Hook{TContext}"/> fires with a context struct. Programs and maps are shared:
/// one program may be attached to several hooks, and all of them see the same maps.
/// </summary>
/// <remarks>
/// Thread safety: fires may run on any number of threads at once, while other threads attach and detach. The
/// attached programs are an immutable array replaced on every change (copy-on-write); a fire runs the array it read,
/// inside the system's epoch, so a program detached meanwhile is not freed before that fire ends.
/// </remarks>
public abstract partial class Hook : IDisposable
{
    private readonly Lock _gate = new();
    private BpfLink[] _links = [];
    private bool _disposed;

    private protected Hook(BpfSystem system, BpfProgType programType, string name)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(name);
        System = system;
        ProgramType = programType;
        Name = name;
        _threads = new ThreadLocal<HookThread>(() => new HookThread(NewRunContext(), System.Epochs.SlotOfCurrentThread()));
    }

    /// <summary>The system whose programs may attach.</summary>
    public BpfSystem System { get; }

    /// <summary>The type of programs the hook runs (a kernel type or a host type's number).</summary>
    public BpfProgType ProgramType { get; }

    /// <summary>The hook's name (messages).</summary>
    public string Name { get; }

    /// <summary>The number of attached programs.</summary>
    public int Count => Volatile.Read(ref _links).Length;

    /// <summary>The links of the attached programs, in attach (and run) order: a snapshot.</summary>
    public IReadOnlyList<BpfLink> Links => Volatile.Read(ref _links);

    /// <summary>
    /// Attaches <paramref name="program"/>: from the next fire on it runs after the programs attached before it.
    /// The same program may be attached more than once (it then runs once per link). A JIT-compiled program's code is
    /// compiled here if no run has compiled it yet, so the first fire does not wait for it.
    /// </summary>
    /// <exception cref="ArgumentException">The program belongs to another system.</exception>
    /// <exception cref="BpfException">The program is not of the hook's type (EINVAL), or reads context bytes the
    /// hook does not supply (EACCES for a tracepoint, EINVAL for a raw tracepoint, as the kernel's attach does).</exception>
    /// <exception cref="ObjectDisposedException">The hook or the program has been disposed.</exception>
    public BpfLink Attach(BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.System != System)
            throw new ArgumentException($"program {program.Name} belongs to another BpfSystem than hook {Name}", nameof(program));
        int err = System.GetObject(program.Fd, out BpfObject? obj);
        if (err < 0 || obj is not LoadedProgram loaded)
        {
            obj?.Release();
            throw BpfException.For(BpfCommand.LinkCreate, err < 0 ? err : -Errno.EINVAL, $"fd {program.Fd} is not a program");
        }
        try
        {
            if (loaded.Type != ProgramType)
                throw BpfException.For(BpfCommand.LinkCreate, -Errno.EINVAL,
                    $"program {loaded.Id}{(loaded.Name.Length > 0 ? $" ({loaded.Name})" : "")} is of type {TypeName(loaded.Type)}; " +
                    $"hook {Name} runs {TypeName(ProgramType)} programs");
            CheckAttach(loaded);
            loaded.Prepare(); // compiled now, as the kernel's programs are at load: the first fire pays nothing
            var link = new BpfLink(this, loaded);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Volatile.Write(ref _links, [.. _links, link]);
            }
            loaded = null!; // the link holds the reference now
            return link;
        }
        finally
        {
            loaded?.Release();
        }
    }

    /// <summary>Detaches every program. Fires after this run nothing; attaching throws.</summary>
    public void Dispose()
    {
        BpfLink[] links;
        lock (_gate)
        {
            _disposed = true;
            links = _links;
        }
        foreach (BpfLink link in links)
            Detach(link);
        Disposed();
        GC.SuppressFinalize(this);
    }

    /// <summary>True once <see cref="Dispose"/> began: fires that start after it run nothing.</summary>
    private protected bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>What a hook frees when it is disposed (after its programs are detached).</summary>
    private protected virtual void Disposed()
    {
    }

    /// <summary><c>name (type)</c>.</summary>
    public override string ToString() => $"hook {Name} ({TypeName(ProgramType)})";

    /// <summary>A hook's own attach checks (the context it supplies): throws <see cref="BpfException"/> to refuse.</summary>
    private protected virtual void CheckAttach(LoadedProgram program)
    {
    }

    internal void Detach(BpfLink link)
    {
        if (!link.MarkDetached()) return;
        lock (_gate)
        {
            int i = Array.IndexOf(_links, link);
            if (i >= 0)
                Volatile.Write(ref _links, [.. _links.AsSpan(0, i), .. _links.AsSpan(i + 1)]);
        }
        // kernel: bpf_prog_put after an RCU grace period. Fires that read the old array entered the epoch first.
        LoadedProgram program = link.Program;
        System.Epochs.Defer(program.Release);
    }

    private protected string TypeName(BpfProgType type) =>
        System.GetProgramType(type) is { } host ? host.Name : Enum.IsDefined(type) ? type.ToString() : ((uint)type).ToString();
}
