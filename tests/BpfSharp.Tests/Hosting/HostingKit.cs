using System.Runtime.InteropServices;
using BpfSharp.Hosting;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Hosting;

/// <summary>The context the host-type tests describe: a read-only length and id, a writable verdict, a hidden cookie, a port and padding.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RequestContext
{
    public uint Length;                        // 0, read-only
    [BpfWritable] public uint Verdict;         // 4, writable
    public ulong Id;                           // 8, read-only
    [BpfHidden] public ulong HostCookie;       // 16, not accessible
    public ushort Port;                        // 24, read-only; 26..31 padding
}

/// <summary>Systems, the request type and programs for the hosting tests.</summary>
internal static class HostingKit
{
    /// <summary>A system (2 CPUs) with the request type registered; <paramref name="configure"/> adds to the type.</summary>
    public static BpfSystem NewSystem(out BpfProgType type, Action<HostProgramTypeBuilder>? configure = null, bool verify = true)
    {
        var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2, Verify = verify });
        HostProgramTypeBuilder builder = HostProgramTypeBuilder.For<RequestContext>("request")
            .AllowKernelHelpers("bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_get_smp_processor_id");
        configure?.Invoke(builder);
        type = system.RegisterProgramType(builder.Build());
        return system;
    }

    /// <summary>Loads kernel-syntax assembly as a program of <paramref name="type"/>.</summary>
    public static BpfProgram Load(BpfSystem system, BpfProgType type, string asm, string name = "") =>
        BpfProgram.Load(system, type, Assembler.Assemble(asm), name: name);

    /// <summary>The errno and message a load fails with (0 and "" if it succeeds).</summary>
    public static (int Errno, string Message) LoadError(BpfSystem system, BpfProgType type, string asm)
    {
        try
        {
            using BpfProgram program = Load(system, type, asm);
            return (0, "");
        }
        catch (BpfException e)
        {
            return (e.Errno, e.Message);
        }
    }

    /// <summary>A program that sets the verdict to verdict * 10 + <paramref name="digit"/> and returns <paramref name="result"/>.</summary>
    public static BpfProgram AppendDigit(BpfSystem system, BpfProgType type, int digit, int result = 0) => Load(system, type, $"""
        r2 = *(u32 *)(r1 + 4)
        r2 *= 10
        r2 += {digit}
        *(u32 *)(r1 + 4) = r2
        r0 = {result}
        exit
        """, name: $"digit{digit}");
}
