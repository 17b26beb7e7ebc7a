using System.Runtime.InteropServices;
using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// BTF-typed tracing programs run on a host's arguments: a tp_btf program attached to the kernel's
/// <c>btf_trace_sched_switch</c> (preempt, prev, next, prev_state) reads <c>next-&gt;pid</c> and
/// <c>next-&gt;real_parent-&gt;pid</c> from host memory laid out as this kernel's <c>struct task_struct</c> (the offsets
/// read from its BTF) and registered as kernel memory; loads through the pointers are probe loads, so a pointer to
/// anything else reads 0 instead of faulting, on both engines (the kernel's BPF_PROBE_MEM).
/// </summary>
public unsafe class BtfTracingHookTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedSwitchArgs
    {
        public ulong Preempt, Prev, Next, PrevState;
    }

    public static TheoryData<ExecutionEngine> Engines() => [ExecutionEngine.Interpreter, ExecutionEngine.Jit];

    private static BtfBlob Vmlinux()
    {
        Skip.If(KernelBtf.Vmlinux is null, $"no kernel BTF at {KernelBtf.Path}");
        return KernelBtf.Vmlinux!;
    }

    // The byte offset of member `name` of struct `type` in the kernel's BTF.
    private static int Offset(BtfBlob btf, string type, string name)
    {
        BtfType t = btf.GetType(btf.FindByName(type, BtfKind.Struct)!.Value);
        foreach (BtfMember m in t.Members)
            if (m.Name == name) return (int)(m.BitOffset / 8);
        throw new InvalidOperationException($"struct {type} has no {name}");
    }

    private static BpfProgram LoadTpBtf(BpfSystem system, BtfBlob btf, string asm) =>
        BpfProgram.Load(system, BpfProgType.Tracing, Assembler.Assemble(asm), new BpfProgramOptions
        {
            ExpectedAttachType = (uint)BpfAttachType.TraceRawTp,
            AttachBtfId = btf.FindByName("btf_trace_sched_switch", BtfKind.Typedef)!.Value,
        });

    private static string NextPid(int pid) => $"""
        r2 = *(u64 *)(r1 +16)
        r0 = *(u32 *)(r2 +{pid})
        exit
        """;

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void A_pointer_argument_reads_the_host_struct(ExecutionEngine engine)
    {
        BtfBlob btf = Vmlinux();
        int pid = Offset(btf, "task_struct", "pid");
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2, Engine = engine });
        using var task = new NativeBuffer(btf.SizeOf(btf.FindByName("task_struct", BtfKind.Struct)!.Value)!.Value, alignment: 64);
        *(int*)(task.Pointer + pid) = 4242;
        var region = new MemoryRegion(task.Pointer, (long)task.Length, writable: false, "task_struct");
        system.HelperEnvironment.ProbeMemory.AddKernel(region);
        using var hook = new Hook<SchedSwitchArgs>(system, BpfProgType.Tracing, "sched_switch");
        using BpfProgram program = LoadTpBtf(system, btf, NextPid(pid));
        using BpfLink link = hook.Attach(program);
        var args = new SchedSwitchArgs { Next = (ulong)task.Pointer };
        Assert.Equal(4242ul, hook.Fire(ref args));
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void The_current_task_is_the_hosts_task_image(ExecutionEngine engine)
    {
        BtfBlob btf = Vmlinux();
        int pid = Offset(btf, "task_struct", "pid");
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2, Engine = engine });
        using var task = new NativeBuffer(btf.SizeOf(btf.FindByName("task_struct", BtfKind.Struct)!.Value)!.Value, alignment: 64);
        *(int*)(task.Pointer + pid) = 31337;
        system.HelperEnvironment.ProbeMemory.AddKernel(new MemoryRegion(task.Pointer, (long)task.Length, writable: false, "current"));
        using var hook = new Hook<SchedSwitchArgs>(system, BpfProgType.Tracing, "sched_switch");
        using BpfProgram program = LoadTpBtf(system, btf, $"""
            call bpf_get_current_task_btf
            r0 = *(u32 *)(r0 +{pid})
            exit
            """);
        using BpfLink link = hook.Attach(program);
        var args = new SchedSwitchArgs();
        Assert.Equal(0ul, hook.Fire(ref args)); // no task image yet: the probe load reads 0
        system.HelperEnvironment.Task = new BpfSharp.Runtime.Helpers.BpfTask(1, 1, 0, 0, "t") { Address = (ulong)task.Pointer };
        Assert.Equal(31337ul, hook.Fire(ref args));
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void A_bad_pointer_argument_reads_zero(ExecutionEngine engine)
    {
        BtfBlob btf = Vmlinux();
        int pid = Offset(btf, "task_struct", "pid");
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2, Engine = engine });
        using var hook = new Hook<SchedSwitchArgs>(system, BpfProgType.Tracing, "sched_switch");
        using BpfProgram program = LoadTpBtf(system, btf, NextPid(pid));
        using BpfLink link = hook.Attach(program);
        using var unregistered = new NativeBuffer(8192, alignment: 64); // real memory, but not the kernel's
        *(int*)(unregistered.Pointer + pid) = 7;
        foreach (ulong bad in (ulong[])[0, 8, 0xffff_8880_0000_0000, (ulong)unregistered.Pointer])
        {
            var args = new SchedSwitchArgs { Next = bad };
            Assert.Equal(0ul, hook.Fire(ref args));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void A_pointer_member_is_followed_and_a_dangling_one_reads_zero(ExecutionEngine engine)
    {
        BtfBlob btf = Vmlinux();
        int pid = Offset(btf, "task_struct", "pid"), parent = Offset(btf, "task_struct", "real_parent");
        uint size = btf.SizeOf(btf.FindByName("task_struct", BtfKind.Struct)!.Value)!.Value;
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2, Engine = engine });
        using var child = new NativeBuffer(size, alignment: 64);
        using var father = new NativeBuffer(size, alignment: 64);
        *(int*)(father.Pointer + pid) = 1;
        *(int*)(child.Pointer + pid) = 500;
        *(ulong*)(child.Pointer + parent) = (ulong)father.Pointer;
        system.HelperEnvironment.ProbeMemory.AddKernel(new MemoryRegion(child.Pointer, (long)size, writable: false, "child"));
        system.HelperEnvironment.ProbeMemory.AddKernel(new MemoryRegion(father.Pointer, (long)size, writable: false, "father"));
        using var hook = new Hook<SchedSwitchArgs>(system, BpfProgType.Tracing, "sched_switch");
        using BpfProgram program = LoadTpBtf(system, btf, $"""
            r2 = *(u64 *)(r1 +16)
            r3 = *(u64 *)(r2 +{parent})
            r0 = *(u32 *)(r3 +{pid})
            r4 = *(u32 *)(r2 +{pid})
            r0 <<= 32
            r0 |= r4
            exit
            """);
        using BpfLink link = hook.Attach(program);
        var args = new SchedSwitchArgs { Next = (ulong)child.Pointer };
        Assert.Equal((1ul << 32) | 500, hook.Fire(ref args));
        *(ulong*)(child.Pointer + parent) = 0x10; // a dangling real_parent
        Assert.Equal(500ul, hook.Fire(ref args));
    }

    // The engines themselves: the loads InterpreterOptions.ProbeLoads marks read 0 where plain loads would fault.
    [Theory]
    [MemberData(nameof(Engines))]
    public void Marked_loads_are_probe_loads_on_both_engines(ExecutionEngine engine)
    {
        Instruction[] program = Assembler.Assemble("""
            r0 = *(u64 *)(r1 +0)
            r2 = *(s8 *)(r1 +8)
            r0 += r2
            exit
            """);
        IProgramEngine e = ProgramEngines.Create(program, engine, new InterpreterOptions { ProbeLoads = [true, true, false, false] });
        using var mem = new NativeBuffer(16, alignment: 8);
        *(ulong*)mem.Pointer = 1000;
        *(sbyte*)(mem.Pointer + 8) = -3;
        var probe = new BpfSharp.Runtime.Helpers.ProbeMemory();
        var run = new RunContext { R1 = (ulong)mem.Pointer, ProbeMemory = probe };
        Assert.Equal(0ul, e.Run(run)); // not registered anywhere: both loads read 0
        probe.AddKernel(new MemoryRegion(mem.Pointer, 16, writable: false, "kernel"));
        Assert.Equal(997ul, e.Run(run));
        run.R1 = 12; // a fault
        Assert.Equal(0ul, e.Run(run));
    }
}
