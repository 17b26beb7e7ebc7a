using BpfSharp.Syscall;

namespace BpfSharp;

/// <summary>
/// One program attached to one <see cref="Hook"/> (the kernel's bpf_link): it runs on every fire of the hook until
/// the link is disposed. The link holds a reference to the program, so the program lives while it is attached even
/// if every fd of it is closed; after <see cref="Dispose"/> a fire already running may finish its run of it, later
/// fires do not run it, and the reference is dropped once no fire that could see it is still running.
/// </summary>
public sealed class BpfLink : IDisposable
{
    internal BpfLink(Hook hook, LoadedProgram program)
    {
        Hook = hook;
        Program = program;
    }

    /// <summary>The hook the program is attached to.</summary>
    public Hook Hook { get; }

    /// <summary>The attached program.</summary>
    internal LoadedProgram Program { get; }

    /// <summary>The id of the attached program.</summary>
    public uint ProgramId => Program.Id;

    /// <summary>The attached program's name.</summary>
    public string ProgramName => Program.Name;

    /// <summary>True until the link is disposed (or its hook is).</summary>
    public bool IsAttached => Volatile.Read(ref _detached) == 0;

    private int _detached;

    /// <summary>Detaches the program. Idempotent.</summary>
    public void Dispose() => Hook.Detach(this);

    // The first detach wins; true for it.
    internal bool MarkDetached() => Interlocked.Exchange(ref _detached, 1) == 0;

    /// <inheritdoc/>
    public override string ToString() => $"link {Program.Name} (prog {Program.Id}) -> {Hook}";
}
