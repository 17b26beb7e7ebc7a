using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Syscall;
using BpfSharp.Verifier;

namespace BpfSharp;

/// <summary>How a <see cref="BpfSystem"/> is set up: its CPUs, memory budget and the helpers its programs may call.</summary>
public sealed class BpfSystemOptions
{
    /// <summary>Number of possible CPUs: per-CPU maps keep one value slot per CPU. Default: the processor count.</summary>
    public int PossibleCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes all maps together may use; creating or growing a map beyond it fails with ENOMEM. 0 (the default) = unlimited.</summary>
    public long MemoryLimit { get; init; }

    /// <summary>
    /// The helpers loaded programs may call. Null (the default): the standard helpers
    /// (<see cref="StandardHelpers"/>) over <see cref="HelperEnvironment"/>. Each program takes a
    /// snapshot when it is loaded.
    /// </summary>
    public HelperRegistry? Helpers { get; init; }

    /// <summary>
    /// What the standard helpers see of the host (clock, current task, trace pipe, probe-readable
    /// memory) when <see cref="Helpers"/> is null. Null: a fresh <see cref="Runtime.Helpers.HelperEnvironment"/>.
    /// </summary>
    public HelperEnvironment? HelperEnvironment { get; init; }

    /// <summary>
    /// Instructions one run of an unverified (checked-mode) program may execute; 0 = unlimited. Verified programs
    /// are not counted (the verifier proved that they end).
    /// Default 16M: an unverified program may loop forever.
    /// </summary>
    public long InstructionBudget { get; init; } = 1 << 24;

    /// <summary>
    /// The capabilities of callers of <c>BpfSystem.Bpf</c> (CAP_BPF,
    /// CAP_PERFMON, CAP_NET_ADMIN, CAP_SYS_ADMIN): what they may load and what the verifier lets programs do.
    /// Default: all, as root. A call may name its own (the overload of <c>BpfSystem.Bpf</c> taking capabilities).
    /// </summary>
    public BpfCapabilities Capabilities { get; init; } = BpfCapabilities.All;

    /// <summary>
    /// Verify programs at PROG_LOAD (the default). False loads programs unverified, to run in checked mode
    /// (bounds-checked, instruction budget): for running raw programs the verifier would refuse.
    /// </summary>
    public bool Verify { get; init; } = true;

    /// <summary>
    /// The engine loaded programs run on: the JIT (the default; the interpreter where dynamic code is not supported)
    /// or the interpreter. Both give identical results.
    /// </summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Jit;

    /// <summary>Creates maps (MAP_CREATE); tests replace it with their own map types.</summary>
    internal MapCreator CreateMap { get; init; } = MapFactory.Create;

    /// <summary>Parses BTF blobs (BTF_LOAD); tests replace it.</summary>
    internal BtfParser ParseBtf { get; init; } = BtfAdapter.Parse;

    /// <summary>
    /// The kernel BTF that tracing programs' attach_btf_id and the verifier's PTR_TO_BTF_ID registers refer to (the
    /// kernel's btf_vmlinux). By default the running kernel's (<see cref="Elf.Btf.KernelBtf.Vmlinux"/>); where there is
    /// none, such programs are refused as by a kernel built without BTF.
    /// </summary>
    public Elf.Btf.BtfBlob? KernelBtf { get; init; } = Elf.Btf.KernelBtf.Vmlinux;
}

/// <summary>Creates a map from its attributes: 0 and the map, or -errno.</summary>
internal delegate int MapCreator(MapAttributes attributes, MapContext context, out Map? map);

/// <summary>Parses a BTF blob: its types, or null with the errno and the reason.</summary>
internal delegate IBtfTypes? BtfParser(ReadOnlySpan<byte> blob, out int errno, out string? error);
