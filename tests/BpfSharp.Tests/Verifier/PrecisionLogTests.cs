using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Precision tracking in the level-2 log (kernel: __mark_chain_precision, backtrack_insn, mark_all_scalars_precise,
/// propagate_precision): whole logs of small programs, each the live 6.18 kernel's log_level 2 log for it, byte for
/// byte (the <c>mark_precise: ... subseq_idx N </c> lines end with a space, as the kernel writes them). The programs
/// touch no stack on paths that end in an exit, and have no loops: the kernel's level-2 log adds lines about its
/// static stack liveness and its loop (SCC) bookkeeping there, which this verifier does not print.
/// </summary>
public class PrecisionLogTests
{
    /// <summary>One program: its type, BPF_F_TEST_STATE_FREQ, its text, and the kernel's level-2 log.</summary>
    public sealed record LogCase(string Name, BpfProgType ProgType, bool Freq, string Asm, string KernelLog)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;

        /// <summary>The log as the kernel writes it: every line ends with a newline.</summary>
        public string Log => KernelLog + "\n";
    }

    private static readonly LogCase[] Cases =
    [
        // a jump whose outcome the diamond's constants decide: both constants precise, up the checkpoints
        new("known_branch_after_diamond", BpfProgType.SocketFilter, true, """
            r6 = *(u32 *)(r1 +0)
            r2 = 3
            if r6 > 0x5 goto pc+1
            r2 = 4
            r0 = 0
            if r2 > 0xa goto pc+1
            r0 = 1
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r6 = *(u32 *)(r1 +0)
                  1: ......6... (b7) r2 = 3
                  2: ..2...6... (25) if r6 > 0x5 goto pc+1
                  3: .......... (b7) r2 = 4
                  4: ..2....... (b7) r0 = 0
                  5: 0.2....... (25) if r2 > 0xa goto pc+1
                  6: .......... (b7) r0 = 1
                  7: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (b7) r2 = 3                        ; R2=3
            2: (25) if r6 > 0x5 goto pc+1         ; R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            3: (b7) r2 = 4                        ; R2=4
            4: (b7) r0 = 0                        ; R0=0
            5: (25) if r2 > 0xa goto pc+1
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx -1 
            mark_precise: frame0: parent state regs=r2 stack=:  R0=0 R1=ctx() R2=P4 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 4 first_idx 4 subseq_idx 5 
            mark_precise: frame0: regs=r2 stack= before 4: (b7) r0 = 0
            mark_precise: frame0: parent state regs=r2 stack=:  R1=ctx() R2=P4 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 3 first_idx 2 subseq_idx 4 
            mark_precise: frame0: regs=r2 stack= before 3: (b7) r2 = 4
            5: R2=4
            6: (b7) r0 = 1                        ; R0=1
            7: (95) exit

            from 2 to 4: R1=ctx() R2=3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: R1=ctx() R2=3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: (b7) r0 = 0                        ; R0=0
            5: (25) if r2 > 0xa goto pc+1
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx -1 
            mark_precise: frame0: parent state regs=r2 stack=:  R0=0 R1=ctx() R2=P3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 4 first_idx 4 subseq_idx 5 
            mark_precise: frame0: regs=r2 stack= before 4: (b7) r0 = 0
            mark_precise: frame0: parent state regs=r2 stack=:  R1=ctx() R2=P3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 2 first_idx 2 subseq_idx 4 
            mark_precise: frame0: regs=r2 stack= before 2: (25) if r6 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs=r2 stack=:  R1=ctx() R2=P3 R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 1 first_idx 0 subseq_idx 2 
            mark_precise: frame0: regs=r2 stack= before 1: (b7) r2 = 3
            5: R2=3
            6: (b7) r0 = 1
            7: safe
            processed 12 insns (limit 1000000) max_states_per_insn 1 total_states 6 peak_states 6 mark_read 0
            """),
        // a value from BPF_LD_ABS cannot be followed: every scalar of every checkpoint is forced precise
        new("legacy_packet_load_falls_back", BpfProgType.SocketFilter, true, """
            r6 = r1
            r7 = *(u32 *)(r6 +0)
            r8 = 1
            if r7 > 0x5 goto pc+1
            r8 = 2
            r0 = *(u8 *)skb[0]
            r0 &= 3
            if r0 > 0x5 goto pc+1
            r0 = r8
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: 012345...9 (bf) r6 = r1
                  1: 0123456..9 (61) r7 = *(u32 *)(r6 +0)
                  2: 01234567.9 (b7) r8 = 1
                  3: 0123456789 (25) if r7 > 0x5 goto pc+1
                  4: 01234567.9 (b7) r8 = 2
                  5: 0123456789 (30) r0 = *(u8 *)skb[0]
                  6: 0.......8. (57) r0 &= 3
                  7: 0.......8. (25) if r0 > 0x5 goto pc+1
                  8: ........8. (bf) r0 = r8
                  9: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
            1: (61) r7 = *(u32 *)(r6 +0)          ; R6=ctx() R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            2: (b7) r8 = 1                        ; R8=1
            3: (25) if r7 > 0x5 goto pc+1         ; R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            4: (b7) r8 = 2                        ; R8=2
            5: (30) r0 = *(u8 *)skb[0]            ; R0=scalar() R6=ctx()
            6: (57) r0 &= 3                       ; R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3))
            7: (25) if r0 > 0x5 goto pc+1
            mark_precise: frame0: last_idx 7 first_idx 7 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=Pscalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3)) R6=ctx() R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R8=2 R10=fp0
            mark_precise: frame0: last_idx 6 first_idx 5 subseq_idx 7 
            mark_precise: frame0: regs=r0 stack= before 6: (57) r0 &= 3
            mark_precise: frame0: regs=r0 stack= before 5: (30) r0 = *(u8 *)skb[0]
            mark_precise: frame0: falling back to forcing all scalars precise
            force_precise: frame0: forcing r7 to be precise
            force_precise: frame0: forcing r8 to be precise
            force_precise: frame0: forcing r7 to be precise
            force_precise: frame0: forcing r8 to be precise
            force_precise: frame0: forcing r7 to be precise
            force_precise: frame0: forcing r8 to be precise
            7: R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3))
            8: (bf) r0 = r8                       ; R0=2 R8=2
            9: (95) exit

            from 3 to 5: R1=ctx() R6=ctx() R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=1 R10=fp0
            5: R1=ctx() R6=ctx() R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=1 R10=fp0
            5: (30) r0 = *(u8 *)skb[0]            ; R0=scalar() R6=ctx()
            6: (57) r0 &= 3                       ; R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3))
            7: (25) if r0 > 0x5 goto pc+1
            mark_precise: frame0: last_idx 7 first_idx 7 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=Pscalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3)) R6=ctx() R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=1 R10=fp0
            mark_precise: frame0: last_idx 6 first_idx 5 subseq_idx 7 
            mark_precise: frame0: regs=r0 stack= before 6: (57) r0 &= 3
            mark_precise: frame0: regs=r0 stack= before 5: (30) r0 = *(u8 *)skb[0]
            mark_precise: frame0: falling back to forcing all scalars precise
            force_precise: frame0: forcing r7 to be precise
            force_precise: frame0: forcing r8 to be precise
            force_precise: frame0: forcing r7 to be precise
            force_precise: frame0: forcing r8 to be precise
            7: R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=3,var_off=(0x0; 0x3))
            8: (bf) r0 = r8
            9: safe
            processed 15 insns (limit 1000000) max_states_per_insn 1 total_states 6 peak_states 6 mark_read 0
            """),
        // r8 = r6 links them; the range r6's jump gave r8 decides the next jump, so both are followed
        new("linked_registers_refined_together", BpfProgType.SocketFilter, true, """
            r6 = *(u32 *)(r1 +0)
            r7 = *(u32 *)(r1 +4)
            r8 = r6
            r0 = 0
            if r7 > 0x5 goto pc+1
            r7 = 0
            if r6 > 0x7 goto pc+2
            if r8 > 0xa goto pc+1
            r0 = 1
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r6 = *(u32 *)(r1 +0)
                  1: .1....6... (61) r7 = *(u32 *)(r1 +4)
                  2: ......67.. (bf) r8 = r6
                  3: ......678. (b7) r0 = 0
                  4: 0.....678. (25) if r7 > 0x5 goto pc+1
                  5: 0.....6.8. (b7) r7 = 0
                  6: 0.....6.8. (25) if r6 > 0x7 goto pc+2
                  7: 0.......8. (25) if r8 > 0xa goto pc+1
                  8: .......... (b7) r0 = 1
                  9: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (61) r7 = *(u32 *)(r1 +4)          ; R1=ctx() R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            2: (bf) r8 = r6                       ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            3: (b7) r0 = 0                        ; R0=0
            4: (25) if r7 > 0x5 goto pc+1         ; R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            5: (b7) r7 = 0                        ; R7=0
            6: (25) if r6 > 0x7 goto pc+2         ; R6=scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))
            7: (25) if r8 > 0xa goto pc+1
            mark_precise: frame0: last_idx 7 first_idx 7 subseq_idx -1 
            mark_precise: frame0: parent state regs=r8 stack=:  R0=0 R1=ctx() R6=scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7)) R7=0 R8=Pscalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 6 first_idx 6 subseq_idx 7 
            mark_precise: frame0: regs=r8 stack= before 6: (25) if r6 > 0x7 goto pc+2
            mark_precise: frame0: parent state regs=r6,r8 stack=:  R0=0 R1=ctx() R6=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=0 R8=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 5 first_idx 4 subseq_idx 6 
            mark_precise: frame0: regs=r6,r8 stack= before 5: (b7) r7 = 0
            mark_precise: frame0: regs=r6,r8 stack= before 4: (25) if r7 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs=r6,r8 stack=:  R0=0 R1=ctx() R6=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 3 first_idx 0 subseq_idx 4 
            mark_precise: frame0: regs=r6,r8 stack= before 3: (b7) r0 = 0
            mark_precise: frame0: regs=r6,r8 stack= before 2: (bf) r8 = r6
            mark_precise: frame0: regs=r6 stack= before 1: (61) r7 = *(u32 *)(r1 +4)
            mark_precise: frame0: regs=r6 stack= before 0: (61) r6 = *(u32 *)(r1 +0)
            7: R8=scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))
            8: (b7) r0 = 1                        ; R0=1
            9: (95) exit

            from 6 to 9: safe
            frame 0: propagating r6,r8
            mark_precise: frame0: last_idx 6 first_idx 4 subseq_idx -1 
            mark_precise: frame0: regs=r6,r8 stack= before 4: (25) if r7 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs= stack=:  R0=0 R1=ctx() R6=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=Pscalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0

            from 4 to 6: safe
            processed 12 insns (limit 1000000) max_states_per_insn 0 total_states 4 peak_states 4 mark_read 0
            """),
        // the callee's R0 comes from the caller's R1: backtracking enters the callee at its exit and leaves it at the call
        new("return_value_through_callee", BpfProgType.SocketFilter, true, """
            r6 = *(u32 *)(r1 +0)
            r1 = 3
            if r6 > 0x5 goto pc+1
            r1 = 4
            call pc+3
            if r0 > 0xa goto pc+1
            r0 = 0
            exit
            r0 = r1
            r0 += 1
            exit
            """,
            """
            func#0 @0
            func#1 @8
            Live regs before insn:
                  0: .12345.... (61) r6 = *(u32 *)(r1 +0)
                  1: ..23456... (b7) r1 = 3
                  2: .123456... (25) if r6 > 0x5 goto pc+1
                  3: ..2345.... (b7) r1 = 4
                  4: .12345.... (85) call pc+3
                  5: 0......... (25) if r0 > 0xa goto pc+1
                  6: .......... (b7) r0 = 0
                  7: 0......... (95) exit
                  8: .1........ (bf) r0 = r1
                  9: 0......... (07) r0 += 1
                 10: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (b7) r1 = 3                        ; R1=3
            2: (25) if r6 > 0x5 goto pc+1         ; R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            3: (b7) r1 = 4                        ; R1=4
            4: (85) call pc+3
            caller:
             R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            callee:
             frame1: R1=4 R10=fp0
            8: frame1: R1=4 R10=fp0
            8: (bf) r0 = r1                       ; frame1: R0=4 R1=4
            9: (07) r0 += 1                       ; frame1: R0=5
            10: (95) exit
            returning from callee:
             frame1: R0=5 R1=4 R10=fp0
            to caller at 5:
             R0=5 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0

            from 10 to 5: R0=5 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            5: (25) if r0 > 0xa goto pc+1
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P5 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 10 first_idx 8 subseq_idx 5 
            mark_precise: frame0: regs=r0 stack= before 10: (95) exit
            mark_precise: frame1: regs=r0 stack= before 9: (07) r0 += 1
            mark_precise: frame1: regs=r0 stack= before 8: (bf) r0 = r1
            mark_precise: frame1: parent state regs=r1 stack=:  frame1: R1=P4 R10=fp0
            mark_precise: frame0: parent state regs= stack=:  R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame1: last_idx 4 first_idx 4 subseq_idx 8 
            mark_precise: frame1: regs=r1 stack= before 4: (85) call pc+3
            mark_precise: frame0: parent state regs=r1 stack=:  R1=P4 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 3 first_idx 2 subseq_idx 4 
            mark_precise: frame0: regs=r1 stack= before 3: (b7) r1 = 4
            5: R0=5
            6: (b7) r0 = 0                        ; R0=0
            7: (95) exit

            from 2 to 4: R1=3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: R1=3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: (85) call pc+3
            caller:
             R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            callee:
             frame1: R1=3 R10=fp0
            8: frame1: R1=3 R10=fp0
            8: (bf) r0 = r1                       ; frame1: R0=3 R1=3
            9: (07) r0 += 1                       ; frame1: R0=4
            10: (95) exit
            returning from callee:
             frame1: R0=4 R1=3 R10=fp0
            to caller at 5:
             R0=4 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0

            from 10 to 5: R0=4 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            5: (25) if r0 > 0xa goto pc+1
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P4 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 10 first_idx 8 subseq_idx 5 
            mark_precise: frame0: regs=r0 stack= before 10: (95) exit
            mark_precise: frame1: regs=r0 stack= before 9: (07) r0 += 1
            mark_precise: frame1: regs=r0 stack= before 8: (bf) r0 = r1
            mark_precise: frame1: parent state regs=r1 stack=:  frame1: R1=P3 R10=fp0
            mark_precise: frame0: parent state regs= stack=:  R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame1: last_idx 4 first_idx 4 subseq_idx 8 
            mark_precise: frame1: regs=r1 stack= before 4: (85) call pc+3
            mark_precise: frame0: parent state regs=r1 stack=:  R1=P3 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 2 first_idx 2 subseq_idx 4 
            mark_precise: frame0: regs=r1 stack= before 2: (25) if r6 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs=r1 stack=:  R1=P3 R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 1 first_idx 0 subseq_idx 2 
            mark_precise: frame0: regs=r1 stack= before 1: (b7) r1 = 3
            5: R0=4
            6: (b7) r0 = 0
            7: safe
            processed 18 insns (limit 1000000) max_states_per_insn 2 total_states 8 peak_states 8 mark_read 0
            """),
        // 32-bit moves and adds and a sign-extending move carry precision to the constants
        new("alu32_and_sign_extension", BpfProgType.SocketFilter, false, """
            r6 = *(u32 *)(r1 +0)
            w2 = 2
            if w6 > 0x5 goto pc+1
            w2 = 3
            w3 = w2
            w3 += 1
            r4 = (s8)r3
            r0 = 0
            if w4 > 0x10 goto pc+1
            r0 = 1
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r6 = *(u32 *)(r1 +0)
                  1: ......6... (b4) w2 = 2
                  2: ..2...6... (26) if w6 > 0x5 goto pc+1
                  3: .......... (b4) w2 = 3
                  4: ..2....... (bc) w3 = w2
                  5: ...3...... (04) w3 += 1
                  6: ...3...... (bf) r4 = (s8)r3
                  7: ....4..... (b7) r0 = 0
                  8: 0...4..... (26) if w4 > 0x10 goto pc+1
                  9: .......... (b7) r0 = 1
                 10: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (b4) w2 = 2                        ; R2=2
            2: (26) if w6 > 0x5 goto pc+1         ; R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            3: (b4) w2 = 3                        ; R2=3
            4: (bc) w3 = w2                       ; R2=3 R3=3
            5: (04) w3 += 1                       ; R3=4
            6: (bf) r4 = (s8)r3                   ; R3=4 R4=4
            7: (b7) r0 = 0                        ; R0=0
            8: (26) if w4 > 0x10 goto pc+1
            mark_precise: frame0: last_idx 8 first_idx 0 subseq_idx -1 
            mark_precise: frame0: regs=r4 stack= before 7: (b7) r0 = 0
            mark_precise: frame0: regs=r4 stack= before 6: (bf) r4 = (s8)r3
            mark_precise: frame0: regs=r3 stack= before 5: (04) w3 += 1
            mark_precise: frame0: regs=r3 stack= before 4: (bc) w3 = w2
            mark_precise: frame0: regs=r2 stack= before 3: (b4) w2 = 3
            8: R4=4
            9: (b7) r0 = 1                        ; R0=1
            10: (95) exit

            from 2 to 4: R1=ctx() R2=2 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: R1=ctx() R2=2 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            4: (bc) w3 = w2                       ; R2=2 R3=2
            5: (04) w3 += 1                       ; R3=3
            6: (bf) r4 = (s8)r3                   ; R3=3 R4=3
            7: (b7) r0 = 0                        ; R0=0
            8: (26) if w4 > 0x10 goto pc+1
            mark_precise: frame0: last_idx 8 first_idx 0 subseq_idx -1 
            mark_precise: frame0: regs=r4 stack= before 7: (b7) r0 = 0
            mark_precise: frame0: regs=r4 stack= before 6: (bf) r4 = (s8)r3
            mark_precise: frame0: regs=r3 stack= before 5: (04) w3 += 1
            mark_precise: frame0: regs=r3 stack= before 4: (bc) w3 = w2
            mark_precise: frame0: regs=r2 stack= before 2: (26) if w6 > 0x5 goto pc+1
            mark_precise: frame0: regs=r2 stack= before 1: (b4) w2 = 2
            8: R4=3
            9: (b7) r0 = 1
            10: safe
            processed 18 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0
            """),
        // pointer += scalar needs the scalar precise
        new("packet_pointer_offset", BpfProgType.Xdp, true, """
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r4 = *(u32 *)(r1 +12)
            r5 = 4
            if r4 > 0x5 goto pc+1
            r5 = 8
            r2 += r5
            r0 = r2
            r0 += 1
            if r0 > r3 goto pc+1
            r0 = *(u8 *)(r2 +0)
            r0 = 2
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r2 = *(u32 *)(r1 +0)
                  1: .12....... (61) r3 = *(u32 *)(r1 +4)
                  2: .123...... (61) r4 = *(u32 *)(r1 +12)
                  3: ..234..... (b7) r5 = 4
                  4: ..2345.... (25) if r4 > 0x5 goto pc+1
                  5: ..23...... (b7) r5 = 8
                  6: ..23.5.... (0f) r2 += r5
                  7: ..23...... (bf) r0 = r2
                  8: 0.23...... (07) r0 += 1
                  9: 0.23...... (2d) if r0 > r3 goto pc+1
                 10: ..2....... (71) r0 = *(u8 *)(r2 +0)
                 11: .......... (b7) r0 = 2
                 12: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2=pkt(r=0)
            1: (61) r3 = *(u32 *)(r1 +4)          ; R1=ctx() R3=pkt_end()
            2: (61) r4 = *(u32 *)(r1 +12)         ; R1=ctx() R4=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            3: (b7) r5 = 4                        ; R5=4
            4: (25) if r4 > 0x5 goto pc+1         ; R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            5: (b7) r5 = 8                        ; R5=8
            6: (0f) r2 += r5
            mark_precise: frame0: last_idx 6 first_idx 6 subseq_idx -1 
            mark_precise: frame0: parent state regs=r5 stack=:  R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R5=P8 R10=fp0
            mark_precise: frame0: last_idx 5 first_idx 4 subseq_idx 6 
            mark_precise: frame0: regs=r5 stack= before 5: (b7) r5 = 8
            7: R2=pkt(off=8,r=0) R5=8
            7: (bf) r0 = r2                       ; R0=pkt(off=8,r=0) R2=pkt(off=8,r=0)
            8: (07) r0 += 1                       ; R0=pkt(off=9,r=0)
            9: (2d) if r0 > r3 goto pc+1          ; R0=pkt(off=9,r=9) R3=pkt_end()
            10: (71) r0 = *(u8 *)(r2 +0)          ; R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R2=pkt(off=8,r=9)
            11: (b7) r0 = 2                       ; R0=2
            12: (95) exit

            from 9 to 11: safe

            from 4 to 6: R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R5=4 R10=fp0
            6: R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R5=4 R10=fp0
            6: (0f) r2 += r5
            mark_precise: frame0: last_idx 6 first_idx 6 subseq_idx -1 
            mark_precise: frame0: parent state regs=r5 stack=:  R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R5=P4 R10=fp0
            mark_precise: frame0: last_idx 4 first_idx 4 subseq_idx 6 
            mark_precise: frame0: regs=r5 stack= before 4: (25) if r4 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs=r5 stack=:  R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R5=P4 R10=fp0
            mark_precise: frame0: last_idx 3 first_idx 0 subseq_idx 4 
            mark_precise: frame0: regs=r5 stack= before 3: (b7) r5 = 4
            7: R2=pkt(off=4,r=0) R5=4
            7: (bf) r0 = r2                       ; R0=pkt(off=4,r=0) R2=pkt(off=4,r=0)
            8: (07) r0 += 1                       ; R0=pkt(off=5,r=0)
            9: (2d) if r0 > r3 goto pc+1          ; R0=pkt(off=5,r=5) R3=pkt_end()
            10: (71) r0 = *(u8 *)(r2 +0)
            11: safe

            from 9 to 11: safe
            processed 21 insns (limit 1000000) max_states_per_insn 1 total_states 6 peak_states 6 mark_read 0
            """),
        // the return value is checked against [0, 1]
        new("cgroup_skb_return_value", BpfProgType.CgroupSkb, true, """
            r6 = *(u32 *)(r1 +0)
            r7 = *(u32 *)(r1 +4)
            r0 = 1
            if r6 > 0x5 goto pc+1
            r0 = 0
            if r7 > 0x5 goto pc+2
            r1 = 0
            goto pc+1
            r1 = 1
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r6 = *(u32 *)(r1 +0)
                  1: .1....6... (61) r7 = *(u32 *)(r1 +4)
                  2: ......67.. (b7) r0 = 1
                  3: 0.....67.. (25) if r6 > 0x5 goto pc+1
                  4: .......7.. (b7) r0 = 0
                  5: 0......7.. (25) if r7 > 0x5 goto pc+2
                  6: 0......... (b7) r1 = 0
                  7: 0......... (05) goto pc+1
                  8: 0......... (b7) r1 = 1
                  9: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (61) r7 = *(u32 *)(r1 +4)          ; R1=ctx() R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            2: (b7) r0 = 1                        ; R0=1
            3: (25) if r6 > 0x5 goto pc+1         ; R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            4: (b7) r0 = 0                        ; R0=0
            5: (25) if r7 > 0x5 goto pc+2         ; R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            6: (b7) r1 = 0                        ; R1=0
            7: (05) goto pc+1
            9: (95) exit
            mark_precise: frame0: last_idx 9 first_idx 9 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P0 R1=0 R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 7 first_idx 5 subseq_idx 9 
            mark_precise: frame0: regs=r0 stack= before 7: (05) goto pc+1
            mark_precise: frame0: regs=r0 stack= before 6: (b7) r1 = 0
            mark_precise: frame0: regs=r0 stack= before 5: (25) if r7 > 0x5 goto pc+2
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P0 R1=ctx() R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 4 first_idx 3 subseq_idx 5 
            mark_precise: frame0: regs=r0 stack= before 4: (b7) r0 = 0

            from 5 to 8: R0=0 R1=ctx() R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            8: R0=0 R1=ctx() R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            8: (b7) r1 = 1
            frame 0: propagating r0
            mark_precise: frame0: last_idx 9 first_idx 8 subseq_idx -1 
            mark_precise: frame0: regs=r0 stack= before 8: (b7) r1 = 1
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P0 R1=ctx() R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx 8 
            mark_precise: frame0: regs=r0 stack= before 5: (25) if r7 > 0x5 goto pc+2
            mark_precise: frame0: parent state regs= stack=:  R0=P0 R1=ctx() R6=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            9: safe

            from 3 to 5: R0=1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            5: R0=1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            5: (25) if r7 > 0x5 goto pc+2         ; R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7))
            6: (b7) r1 = 0                        ; R1=0
            7: (05) goto pc+1
            9: (95) exit
            mark_precise: frame0: last_idx 9 first_idx 9 subseq_idx -1 
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P1 R1=0 R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=5,var_off=(0x0; 0x7)) R10=fp0
            mark_precise: frame0: last_idx 7 first_idx 5 subseq_idx 9 
            mark_precise: frame0: regs=r0 stack= before 7: (05) goto pc+1
            mark_precise: frame0: regs=r0 stack= before 6: (b7) r1 = 0
            mark_precise: frame0: regs=r0 stack= before 5: (25) if r7 > 0x5 goto pc+2
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 3 first_idx 3 subseq_idx 5 
            mark_precise: frame0: regs=r0 stack= before 3: (25) if r6 > 0x5 goto pc+1
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P1 R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 2 first_idx 0 subseq_idx 3 
            mark_precise: frame0: regs=r0 stack= before 2: (b7) r0 = 1

            from 5 to 8: R0=1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            8: R0=1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            8: (b7) r1 = 1
            frame 0: propagating r0
            mark_precise: frame0: last_idx 9 first_idx 8 subseq_idx -1 
            mark_precise: frame0: regs=r0 stack= before 8: (b7) r1 = 1
            mark_precise: frame0: parent state regs=r0 stack=:  R0=P1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            mark_precise: frame0: last_idx 5 first_idx 5 subseq_idx 8 
            mark_precise: frame0: regs=r0 stack= before 5: (25) if r7 > 0x5 goto pc+2
            mark_precise: frame0: parent state regs= stack=:  R0=P1 R1=ctx() R6=scalar(smin=umin=umin32=6,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R7=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0
            9: safe
            processed 17 insns (limit 1000000) max_states_per_insn 1 total_states 7 peak_states 7 mark_read 0
            """),
        // at most six registers and slots are linked; the others lose their id and their range
        new("seven_spilled_copies_overflow_the_link", BpfProgType.SocketFilter, false, """
            r6 = *(u32 *)(r1 +0)
            *(u64 *)(r10 -64) = 0
            *(u64 *)(r10 -72) = 0
            *(u64 *)(r10 -8) = r6
            *(u64 *)(r10 -16) = r6
            *(u64 *)(r10 -24) = r6
            *(u64 *)(r10 -32) = r6
            *(u64 *)(r10 -40) = r6
            *(u64 *)(r10 -48) = r6
            *(u64 *)(r10 -56) = r6
            if r6 > 0x7 goto pc+6
            r8 = *(u64 *)(r10 -56)
            r2 = r10
            r2 += -72
            r2 += r8
            r0 = *(u8 *)(r2 +0)
            r0 = 0
            r0 = 0
            exit
            """,
            """
            func#0 @0
            Live regs before insn:
                  0: .1........ (61) r6 = *(u32 *)(r1 +0)
                  1: ......6... (7a) *(u64 *)(r10 -64) = 0
                  2: ......6... (7a) *(u64 *)(r10 -72) = 0
                  3: ......6... (7b) *(u64 *)(r10 -8) = r6
                  4: ......6... (7b) *(u64 *)(r10 -16) = r6
                  5: ......6... (7b) *(u64 *)(r10 -24) = r6
                  6: ......6... (7b) *(u64 *)(r10 -32) = r6
                  7: ......6... (7b) *(u64 *)(r10 -40) = r6
                  8: ......6... (7b) *(u64 *)(r10 -48) = r6
                  9: ......6... (7b) *(u64 *)(r10 -56) = r6
                 10: ......6... (25) if r6 > 0x7 goto pc+6
                 11: .......... (79) r8 = *(u64 *)(r10 -56)
                 12: ........8. (bf) r2 = r10
                 13: ..2.....8. (07) r2 += -72
                 14: ..2.....8. (0f) r2 += r8
                 15: ..2....... (71) r0 = *(u8 *)(r2 +0)
                 16: .......... (b7) r0 = 0
                 17: .......... (b7) r0 = 0
                 18: 0......... (95) exit
            0: R1=ctx() R10=fp0
            0: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            1: (7a) *(u64 *)(r10 -64) = 0         ; R10=fp0 fp-64=0
            2: (7a) *(u64 *)(r10 -72) = 0         ; R10=fp0 fp-72=0
            3: (7b) *(u64 *)(r10 -8) = r6         ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-8=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            4: (7b) *(u64 *)(r10 -16) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-16=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            5: (7b) *(u64 *)(r10 -24) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-24=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            6: (7b) *(u64 *)(r10 -32) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-32=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            7: (7b) *(u64 *)(r10 -40) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-40=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            8: (7b) *(u64 *)(r10 -48) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-48=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            9: (7b) *(u64 *)(r10 -56) = r6        ; R6=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-56=scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            10: (25) if r6 > 0x7 goto pc+6        ; R6=scalar(id=1,smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))
            11: (79) r8 = *(u64 *)(r10 -56)       ; R8=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-56=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            12: (bf) r2 = r10                     ; R2=fp0 R10=fp0
            13: (07) r2 += -72                    ; R2=fp-72
            14: (0f) r2 += r8
            mark_precise: frame0: last_idx 14 first_idx 0 subseq_idx -1 
            mark_precise: frame0: regs=r8 stack= before 13: (07) r2 += -72
            mark_precise: frame0: regs=r8 stack= before 12: (bf) r2 = r10
            mark_precise: frame0: regs=r8 stack= before 11: (79) r8 = *(u64 *)(r10 -56)
            mark_precise: frame0: regs= stack=-56 before 10: (25) if r6 > 0x7 goto pc+6
            mark_precise: frame0: regs= stack=-56 before 9: (7b) *(u64 *)(r10 -56) = r6
            mark_precise: frame0: regs=r6 stack= before 8: (7b) *(u64 *)(r10 -48) = r6
            mark_precise: frame0: regs=r6 stack= before 7: (7b) *(u64 *)(r10 -40) = r6
            mark_precise: frame0: regs=r6 stack= before 6: (7b) *(u64 *)(r10 -32) = r6
            mark_precise: frame0: regs=r6 stack= before 5: (7b) *(u64 *)(r10 -24) = r6
            mark_precise: frame0: regs=r6 stack= before 4: (7b) *(u64 *)(r10 -16) = r6
            mark_precise: frame0: regs=r6 stack= before 3: (7b) *(u64 *)(r10 -8) = r6
            mark_precise: frame0: regs=r6 stack= before 2: (7a) *(u64 *)(r10 -72) = 0
            mark_precise: frame0: regs=r6 stack= before 1: (7a) *(u64 *)(r10 -64) = 0
            mark_precise: frame0: regs=r6 stack= before 0: (61) r6 = *(u32 *)(r1 +0)
            15: R2=fp(off=-72,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R8=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
            15: (71) r0 = *(u8 *)(r2 +0)
            invalid unbounded variable-offset read from stack R2
            processed 16 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
            """),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (LogCase c in Cases)
            data.Add(c.Name);
        return data;
    }

    private static LogCase Case(string name) => Array.Find(Cases, c => c.Name == name)!;

    [Theory]
    [MemberData(nameof(Names))]
    public void Our_level2_log_is_the_kernels(string name)
    {
        LogCase c = Case(name);
        VerifierResult r = BpfVerifier.Verify(Assembler.Assemble(c.Asm), ProgramTypeOps.For(c.ProgType)!,
            new VerifierOptions { LogLevel = 2, TestStateFreq = c.Freq });
        Assert.Equal(c.Log, r.Log);
    }

    [Fact]
    public void The_recorded_logs_keep_the_kernels_trailing_spaces() =>
        Assert.All(Cases, c => Assert.Contains(" subseq_idx -1 \n", c.Log));

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void The_live_kernel_still_prints_the_recorded_log(string name)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "the bpf() syscall is not available here");
        LogCase c = Case(name);
        KernelBpf.ProgLoadLogged((uint)c.ProgType, Assembler.Assemble(c.Asm), 0, 2, new byte[1 << 20], out string log,
            progFlags: c.Freq ? ProgFlags.BPF_F_TEST_STATE_FREQ : 0);
        Assert.Equal(c.Log, log);
    }
}
