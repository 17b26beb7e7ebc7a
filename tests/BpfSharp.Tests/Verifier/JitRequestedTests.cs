using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// <see cref="VerifierOptions.JitRequested"/> false: the rules kernel 6.18's verifier applies to a program it will
/// interpret (allow_tail_call_in_subprogs, round_up_stack_depth's 32-byte steps). The live kernel here always JITs
/// (the corpus records those verdicts: tail/main_tail_call_with_subprogs is accepted there); the messages and the
/// rounding are the kernel's (verifier.c).
/// </summary>
public class JitRequestedTests
{
    [Theory]
    [InlineData(true, 0, "")]
    [InlineData(false, 22, "tail_calls are not allowed in non-JITed programs with bpf-to-bpf calls")]
    public void A_tail_call_in_a_program_with_subprograms_needs_the_JIT(bool jit, int errno, string line)
    {
        using var t = new OurTarget();
        int fd = t.CreateMap(BpfMapType.ProgArray, 4, 4, 4);
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        Instruction[] insns = Assembler.Assemble("""
            r6 = r1
            call f
            r1 = r6
            r2 = map[idx:0]
            r3 = 0
            call bpf_tail_call
            r0 = 0
            exit
            f:
            r0 = 0
            exit
            """);
        var maps = new Dictionary<int, VerifierMapLoad> { [3] = new((Map)obj, false, 0) };
        VerifierResult r = BpfVerifier.Verify(insns, ProgramTypeOps.For(BpfProgType.SchedCls)!,
            new VerifierOptions { LogLevel = 1, JitRequested = jit }, maps);
        Assert.True(-errno == r.Errno, r.Log);
        Assert.Equal(line, KernelVerifierLog.ErrorLine(r.Log));
    }

    // 488 + 8 bytes: 496 in 16-byte steps, 512 + 32 in the interpreter's 32-byte steps.
    [Theory]
    [InlineData(true, 0, "")]
    [InlineData(false, 13, "combined stack size of 2 calls is 544. Too large")]
    public void The_interpreter_counts_stack_in_32_byte_steps(bool jit, int errno, string line)
    {
        Instruction[] insns = Assembler.Assemble("""
            *(u64 *)(r10 -488) = 1
            call f
            exit
            f:
            *(u64 *)(r10 -8) = 1
            r0 = 0
            exit
            """);
        VerifierResult r = BpfVerifier.Verify(insns, ProgramTypeOps.For(BpfProgType.SocketFilter)!,
            new VerifierOptions { LogLevel = 1, JitRequested = jit });
        Assert.Equal(-errno, r.Errno);
        Assert.Equal(line, KernelVerifierLog.ErrorLine(r.Log));
    }
}
