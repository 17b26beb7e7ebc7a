using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// The dispatch loop: one switch on the compact operation per instruction.
public sealed unsafe partial class Interpreter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Execute<TMode>(ExecState* state, DecodedInsn* start, RunContext run, BpfHelper?[] helpers) where TMode : struct, IExecMode
    {
        // The registers are the first field of the state: r doubles as the state pointer, so the
        // loop keeps one value live for both (see St).
        ulong* r = state->Regs;
        DecodedInsn* ip = start;
        long budget = state->Remaining;
        while (true)
        {
            DecodedInsn* i = ip++;
            if (TMode.Budgeted && --budget < 0)
                throw BudgetExhausted(St(r), i);
            ulong a; // memory address
            switch (i->Op)
            {
                // ALU64, immediate (sign-extended to 64 bits).
                case ExecOp.Add64K: r[i->Dst] += (ulong)i->Imm; break;
                case ExecOp.Sub64K: r[i->Dst] -= (ulong)i->Imm; break;
                case ExecOp.Mul64K: r[i->Dst] *= (ulong)i->Imm; break;
                case ExecOp.Div64K: r[i->Dst] = AluSemantics.Div64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.SDiv64K: r[i->Dst] = AluSemantics.SDiv64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Or64K: r[i->Dst] |= (ulong)i->Imm; break;
                case ExecOp.And64K: r[i->Dst] &= (ulong)i->Imm; break;
                case ExecOp.Lsh64K: r[i->Dst] = AluSemantics.Lsh64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Rsh64K: r[i->Dst] = AluSemantics.Rsh64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Neg64: r[i->Dst] = 0 - r[i->Dst]; break;
                case ExecOp.Mod64K: r[i->Dst] = AluSemantics.Mod64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.SMod64K: r[i->Dst] = AluSemantics.SMod64(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Xor64K: r[i->Dst] ^= (ulong)i->Imm; break;
                case ExecOp.Mov64K: r[i->Dst] = (ulong)i->Imm; break;
                case ExecOp.Arsh64K: r[i->Dst] = AluSemantics.Arsh64(r[i->Dst], (ulong)i->Imm); break;

                // ALU64, register.
                case ExecOp.Add64X: r[i->Dst] += r[i->Src]; break;
                case ExecOp.Sub64X: r[i->Dst] -= r[i->Src]; break;
                case ExecOp.Mul64X: r[i->Dst] *= r[i->Src]; break;
                case ExecOp.Div64X: r[i->Dst] = AluSemantics.Div64(r[i->Dst], r[i->Src]); break;
                case ExecOp.SDiv64X: r[i->Dst] = AluSemantics.SDiv64(r[i->Dst], r[i->Src]); break;
                case ExecOp.Or64X: r[i->Dst] |= r[i->Src]; break;
                case ExecOp.And64X: r[i->Dst] &= r[i->Src]; break;
                case ExecOp.Lsh64X: r[i->Dst] = AluSemantics.Lsh64(r[i->Dst], r[i->Src]); break;
                case ExecOp.Rsh64X: r[i->Dst] = AluSemantics.Rsh64(r[i->Dst], r[i->Src]); break;
                case ExecOp.Mod64X: r[i->Dst] = AluSemantics.Mod64(r[i->Dst], r[i->Src]); break;
                case ExecOp.SMod64X: r[i->Dst] = AluSemantics.SMod64(r[i->Dst], r[i->Src]); break;
                case ExecOp.Xor64X: r[i->Dst] ^= r[i->Src]; break;
                case ExecOp.Mov64X: r[i->Dst] = r[i->Src]; break;
                case ExecOp.Arsh64X: r[i->Dst] = AluSemantics.Arsh64(r[i->Dst], r[i->Src]); break;
                case ExecOp.Movsx64B: r[i->Dst] = (ulong)(long)(sbyte)r[i->Src]; break;
                case ExecOp.Movsx64H: r[i->Dst] = (ulong)(long)(short)r[i->Src]; break;
                case ExecOp.Movsx64W: r[i->Dst] = (ulong)(long)(int)r[i->Src]; break;

                // ALU32, immediate: operate on the low 32 bits, zero-extend the result.
                case ExecOp.Add32K: r[i->Dst] = (uint)r[i->Dst] + (uint)i->Imm; break;
                case ExecOp.Sub32K: r[i->Dst] = (uint)r[i->Dst] - (uint)i->Imm; break;
                case ExecOp.Mul32K: r[i->Dst] = (uint)r[i->Dst] * (uint)i->Imm; break;
                case ExecOp.Div32K: r[i->Dst] = AluSemantics.Div32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.SDiv32K: r[i->Dst] = AluSemantics.SDiv32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Or32K: r[i->Dst] = (uint)r[i->Dst] | (uint)i->Imm; break;
                case ExecOp.And32K: r[i->Dst] = (uint)r[i->Dst] & (uint)i->Imm; break;
                case ExecOp.Lsh32K: r[i->Dst] = AluSemantics.Lsh32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Rsh32K: r[i->Dst] = AluSemantics.Rsh32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Neg32: r[i->Dst] = 0u - (uint)r[i->Dst]; break;
                case ExecOp.Mod32K: r[i->Dst] = AluSemantics.Mod32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.SMod32K: r[i->Dst] = AluSemantics.SMod32(r[i->Dst], (ulong)i->Imm); break;
                case ExecOp.Xor32K: r[i->Dst] = (uint)r[i->Dst] ^ (uint)i->Imm; break;
                case ExecOp.Mov32K: r[i->Dst] = (uint)i->Imm; break;
                case ExecOp.Arsh32K: r[i->Dst] = AluSemantics.Arsh32(r[i->Dst], (ulong)i->Imm); break;

                // ALU32, register.
                case ExecOp.Add32X: r[i->Dst] = (uint)r[i->Dst] + (uint)r[i->Src]; break;
                case ExecOp.Sub32X: r[i->Dst] = (uint)r[i->Dst] - (uint)r[i->Src]; break;
                case ExecOp.Mul32X: r[i->Dst] = (uint)r[i->Dst] * (uint)r[i->Src]; break;
                case ExecOp.Div32X: r[i->Dst] = AluSemantics.Div32(r[i->Dst], r[i->Src]); break;
                case ExecOp.SDiv32X: r[i->Dst] = AluSemantics.SDiv32(r[i->Dst], r[i->Src]); break;
                case ExecOp.Or32X: r[i->Dst] = (uint)r[i->Dst] | (uint)r[i->Src]; break;
                case ExecOp.And32X: r[i->Dst] = (uint)r[i->Dst] & (uint)r[i->Src]; break;
                case ExecOp.Lsh32X: r[i->Dst] = AluSemantics.Lsh32(r[i->Dst], r[i->Src]); break;
                case ExecOp.Rsh32X: r[i->Dst] = AluSemantics.Rsh32(r[i->Dst], r[i->Src]); break;
                case ExecOp.Mod32X: r[i->Dst] = AluSemantics.Mod32(r[i->Dst], r[i->Src]); break;
                case ExecOp.SMod32X: r[i->Dst] = AluSemantics.SMod32(r[i->Dst], r[i->Src]); break;
                case ExecOp.Xor32X: r[i->Dst] = (uint)r[i->Dst] ^ (uint)r[i->Src]; break;
                case ExecOp.Mov32X: r[i->Dst] = (uint)r[i->Src]; break;
                case ExecOp.Arsh32X: r[i->Dst] = AluSemantics.Arsh32(r[i->Dst], r[i->Src]); break;
                case ExecOp.Movsx32B: r[i->Dst] = (uint)(int)(sbyte)r[i->Src]; break;
                case ExecOp.Movsx32H: r[i->Dst] = (uint)(int)(short)r[i->Src]; break;

                // Byte swaps.
                case ExecOp.Trunc16: r[i->Dst] = (ushort)r[i->Dst]; break;
                case ExecOp.Trunc32: r[i->Dst] = (uint)r[i->Dst]; break;
                case ExecOp.Nop: break;
                case ExecOp.Swap16: r[i->Dst] = AluSemantics.Bswap(r[i->Dst], 16); break;
                case ExecOp.Swap32: r[i->Dst] = AluSemantics.Bswap(r[i->Dst], 32); break;
                case ExecOp.Swap64: r[i->Dst] = AluSemantics.Bswap(r[i->Dst], 64); break;

                // Jumps: Off is the displacement from the next slot.
                case ExecOp.Ja: ip += i->Off; break;
                case ExecOp.MayGoto: if (MayGotoSemantics.Jumps(ref St(r)->MayGotoBudget)) ip += i->Off; break;
                case ExecOp.Jeq64K: if (r[i->Dst] == (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jgt64K: if (r[i->Dst] > (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jge64K: if (r[i->Dst] >= (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jset64K: if ((r[i->Dst] & (ulong)i->Imm) != 0) ip += i->Off; break;
                case ExecOp.Jne64K: if (r[i->Dst] != (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jsgt64K: if ((long)r[i->Dst] > i->Imm) ip += i->Off; break;
                case ExecOp.Jsge64K: if ((long)r[i->Dst] >= i->Imm) ip += i->Off; break;
                case ExecOp.Jlt64K: if (r[i->Dst] < (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jle64K: if (r[i->Dst] <= (ulong)i->Imm) ip += i->Off; break;
                case ExecOp.Jslt64K: if ((long)r[i->Dst] < i->Imm) ip += i->Off; break;
                case ExecOp.Jsle64K: if ((long)r[i->Dst] <= i->Imm) ip += i->Off; break;

                case ExecOp.Jeq64X: if (r[i->Dst] == r[i->Src]) ip += i->Off; break;
                case ExecOp.Jgt64X: if (r[i->Dst] > r[i->Src]) ip += i->Off; break;
                case ExecOp.Jge64X: if (r[i->Dst] >= r[i->Src]) ip += i->Off; break;
                case ExecOp.Jset64X: if ((r[i->Dst] & r[i->Src]) != 0) ip += i->Off; break;
                case ExecOp.Jne64X: if (r[i->Dst] != r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsgt64X: if ((long)r[i->Dst] > (long)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsge64X: if ((long)r[i->Dst] >= (long)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jlt64X: if (r[i->Dst] < r[i->Src]) ip += i->Off; break;
                case ExecOp.Jle64X: if (r[i->Dst] <= r[i->Src]) ip += i->Off; break;
                case ExecOp.Jslt64X: if ((long)r[i->Dst] < (long)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsle64X: if ((long)r[i->Dst] <= (long)r[i->Src]) ip += i->Off; break;

                case ExecOp.Jeq32K: if ((uint)r[i->Dst] == (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jgt32K: if ((uint)r[i->Dst] > (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jge32K: if ((uint)r[i->Dst] >= (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jset32K: if (((uint)r[i->Dst] & (uint)i->Imm) != 0) ip += i->Off; break;
                case ExecOp.Jne32K: if ((uint)r[i->Dst] != (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jsgt32K: if ((int)r[i->Dst] > (int)i->Imm) ip += i->Off; break;
                case ExecOp.Jsge32K: if ((int)r[i->Dst] >= (int)i->Imm) ip += i->Off; break;
                case ExecOp.Jlt32K: if ((uint)r[i->Dst] < (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jle32K: if ((uint)r[i->Dst] <= (uint)i->Imm) ip += i->Off; break;
                case ExecOp.Jslt32K: if ((int)r[i->Dst] < (int)i->Imm) ip += i->Off; break;
                case ExecOp.Jsle32K: if ((int)r[i->Dst] <= (int)i->Imm) ip += i->Off; break;

                case ExecOp.Jeq32X: if ((uint)r[i->Dst] == (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jgt32X: if ((uint)r[i->Dst] > (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jge32X: if ((uint)r[i->Dst] >= (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jset32X: if (((uint)r[i->Dst] & (uint)r[i->Src]) != 0) ip += i->Off; break;
                case ExecOp.Jne32X: if ((uint)r[i->Dst] != (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsgt32X: if ((int)r[i->Dst] > (int)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsge32X: if ((int)r[i->Dst] >= (int)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jlt32X: if ((uint)r[i->Dst] < (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jle32X: if ((uint)r[i->Dst] <= (uint)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jslt32X: if ((int)r[i->Dst] < (int)r[i->Src]) ip += i->Off; break;
                case ExecOp.Jsle32X: if ((int)r[i->Dst] <= (int)r[i->Src]) ip += i->Off; break;

                // Calls and exit.
                case ExecOp.Call:
                    run.CallerPc = (int)(i - St(r)->Code);
                    if (TMode.Budgeted) St(r)->Remaining = budget; // a callback spends from the same budget
                    r[0] = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(helpers), (nint)i->Imm)!(run, r[1], r[2], r[3], r[4], r[5]);
                    if (TMode.Budgeted) budget = St(r)->Remaining;
                    if (run.ExitRequested)
                    {
                        if (!run.TakeFrameExit(out r[0])) return r[0];
                        goto case ExecOp.Exit; // a tail call replaced this subprogram's frame: it returns r0
                    }
                    break;
                case ExecOp.CallUnknown:
                    throw UnknownHelper(St(r), i, i->Imm);
                case ExecOp.CallX:
                {
                    ulong id = r[i->Dst];
                    BpfHelper? helper = id < (ulong)helpers.Length ? helpers[(int)id] : null;
                    if (helper is null) throw UnknownHelper(St(r), i, (long)id);
                    run.CallerPc = (int)(i - St(r)->Code);
                    if (TMode.Budgeted) St(r)->Remaining = budget;
                    r[0] = helper(run, r[1], r[2], r[3], r[4], r[5]);
                    if (TMode.Budgeted) budget = St(r)->Remaining;
                    if (run.ExitRequested)
                    {
                        if (!run.TakeFrameExit(out r[0])) return r[0];
                        goto case ExecOp.Exit;
                    }
                    break;
                }
                case ExecOp.CallLocal:
                {
                    int depth = St(r)->Depth;
                    if (depth == BpfStack.MaxFrames - 1) throw CallDepthExceeded(St(r), i);
                    Frame* f = St(r)->Frames + depth;
                    f->ReturnIp = ip;
                    f->R1 = r[1]; f->R2 = r[2]; f->R3 = r[3]; f->R4 = r[4]; f->R5 = r[5];
                    f->R6 = r[6]; f->R7 = r[7]; f->R8 = r[8]; f->R9 = r[9]; f->R10 = r[10];
                    f->MayGotoBudget = St(r)->MayGotoBudget;
                    St(r)->MayGotoBudget = MayGotoSemantics.InitialBudget;
                    St(r)->Depth = run.Depth = ++depth;
                    r[0] = 0; r[6] = 0; r[7] = 0; r[8] = 0; r[9] = 0;
                    r[10] = St(r)->StackTop - (ulong)depth * BpfStack.FrameSize;
                    St(r)->StackLow = r[10] - BpfStack.FrameSize;
                    if (depth > St(r)->ZeroedDepth)
                    {
                        NativeMemory.Clear((void*)St(r)->StackLow, BpfStack.FrameSize);
                        St(r)->ZeroedDepth = depth;
                    }
                    ip += i->Off;
                    break;
                }
                case ExecOp.Exit:
                {
                    int depth = St(r)->Depth;
                    if (depth == St(r)->BaseDepth)
                    {
                        if (TMode.Budgeted) St(r)->Remaining = budget;
                        return r[0];
                    }
                    St(r)->Depth = run.Depth = --depth;
                    Frame* f = St(r)->Frames + depth;
                    ip = f->ReturnIp;
                    r[1] = f->R1; r[2] = f->R2; r[3] = f->R3; r[4] = f->R4; r[5] = f->R5;
                    r[6] = f->R6; r[7] = f->R7; r[8] = f->R8; r[9] = f->R9; r[10] = f->R10;
                    St(r)->MayGotoBudget = f->MayGotoBudget;
                    St(r)->StackLow += BpfStack.FrameSize;
                    break;
                }

                // 64-bit immediate; legacy packet loads (out of bounds ends the program with r0 = 0).
                case ExecOp.LdImm64: r[i->Dst] = (ulong)i->Imm; ip++; break;
                case ExecOp.LdAbsB: if (!PacketLoad.TryLoad(run, (int)i->Imm, 1, out r[0])) return EndRunEarly(run); break;
                case ExecOp.LdAbsH: if (!PacketLoad.TryLoad(run, (int)i->Imm, 2, out r[0])) return EndRunEarly(run); break;
                case ExecOp.LdAbsW: if (!PacketLoad.TryLoad(run, (int)i->Imm, 4, out r[0])) return EndRunEarly(run); break;
                case ExecOp.LdIndB: if (!PacketLoad.TryLoad(run, PacketLoad.IndirectOffset(r[i->Src], (int)i->Imm), 1, out r[0])) return EndRunEarly(run); break;
                case ExecOp.LdIndH: if (!PacketLoad.TryLoad(run, PacketLoad.IndirectOffset(r[i->Src], (int)i->Imm), 2, out r[0])) return EndRunEarly(run); break;
                case ExecOp.LdIndW: if (!PacketLoad.TryLoad(run, PacketLoad.IndirectOffset(r[i->Src], (int)i->Imm), 4, out r[0])) return EndRunEarly(run); break;

                // Loads: dst = *(size *)(src + off).
                case ExecOp.LdxB:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 1, AccessKind.Load, i);
                    r[i->Dst] = *(byte*)a;
                    break;
                case ExecOp.LdxH:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 2, AccessKind.Load, i);
                    r[i->Dst] = Unsafe.ReadUnaligned<ushort>((void*)a);
                    break;
                case ExecOp.LdxW:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 4, AccessKind.Load, i);
                    r[i->Dst] = Unsafe.ReadUnaligned<uint>((void*)a);
                    break;
                case ExecOp.LdxDW:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 8, AccessKind.Load, i);
                    r[i->Dst] = Unsafe.ReadUnaligned<ulong>((void*)a);
                    break;
                case ExecOp.LdxSxB:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 1, AccessKind.Load, i);
                    r[i->Dst] = (ulong)(long)*(sbyte*)a;
                    break;
                case ExecOp.LdxSxH:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 2, AccessKind.Load, i);
                    r[i->Dst] = (ulong)(long)Unsafe.ReadUnaligned<short>((void*)a);
                    break;
                case ExecOp.LdxSxW:
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 4, AccessKind.Load, i);
                    r[i->Dst] = (ulong)(long)Unsafe.ReadUnaligned<int>((void*)a);
                    break;
                case >= ExecOp.ProbeLdxB and <= ExecOp.ProbeLdxSxW: // loads through kernel pointers: a fault reads 0
                    r[i->Dst] = ProbeLoad.Load(run, r[i->Src] + (ulong)(long)i->Off, i->Op);
                    break;

                // Stores: *(size *)(dst + off) = imm (sign-extended) or src.
                case ExecOp.StB:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 1, AccessKind.Store, i);
                    *(byte*)a = (byte)i->Imm;
                    break;
                case ExecOp.StH:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 2, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, (ushort)i->Imm);
                    break;
                case ExecOp.StW:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 4, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, (uint)i->Imm);
                    break;
                case ExecOp.StDW:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 8, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, (ulong)i->Imm);
                    break;
                case ExecOp.StxB:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 1, AccessKind.Store, i);
                    *(byte*)a = (byte)r[i->Src];
                    break;
                case ExecOp.StxH:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 2, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, (ushort)r[i->Src]);
                    break;
                case ExecOp.StxW:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 4, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, (uint)r[i->Src]);
                    break;
                case ExecOp.StxDW:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) Check(St(r), run, a, 8, AccessKind.Store, i);
                    Unsafe.WriteUnaligned((void*)a, r[i->Src]);
                    break;

                // Load-acquire dst = *(size *)(src + off) and store-release *(size *)(dst + off) = src.
                case ExecOp.LdAcqB:
                case ExecOp.LdAcqH:
                case ExecOp.LdAcqW:
                case ExecOp.LdAcqDW:
                {
                    int size = 1 << (i->Op - ExecOp.LdAcqB);
                    a = r[i->Src] + (ulong)(long)i->Off;
                    if (TMode.Checked) CheckAligned(St(r), run, a, (ulong)size, AccessKind.Load, i);
                    r[i->Dst] = AtomicSemantics.LoadAcquire(a, size);
                    break;
                }
                case ExecOp.StRelB:
                case ExecOp.StRelH:
                case ExecOp.StRelW:
                case ExecOp.StRelDW:
                {
                    int size = 1 << (i->Op - ExecOp.StRelB);
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked) CheckAligned(St(r), run, a, (ulong)size, AccessKind.Store, i);
                    AtomicSemantics.StoreRelease(a, size, r[i->Src]);
                    break;
                }

                // Atomics on *(size *)(dst + off): FETCH forms and xchg put the old value in src, cmpxchg in r0.
                case ExecOp.Add32:
                case ExecOp.Or32:
                case ExecOp.And32:
                case ExecOp.Xor32:
                case ExecOp.FetchAdd32:
                case ExecOp.FetchOr32:
                case ExecOp.FetchAnd32:
                case ExecOp.FetchXor32:
                case ExecOp.Xchg32:
                case ExecOp.CmpXchg32:
                case ExecOp.Add64:
                case ExecOp.Or64:
                case ExecOp.And64:
                case ExecOp.Xor64:
                case ExecOp.FetchAdd64:
                case ExecOp.FetchOr64:
                case ExecOp.FetchAnd64:
                case ExecOp.FetchXor64:
                case ExecOp.Xchg64:
                case ExecOp.CmpXchg64:
                    a = r[i->Dst] + (ulong)(long)i->Off;
                    if (TMode.Checked)
                        CheckAtomic(St(r), run, a, i->Op >= ExecOp.Atomic64 ? 8u : 4u, i);
                    Atomic(i, a, r);
                    break;

                case ExecOp.FellOffEnd:
                    throw FellOffEnd(St(r), i);
                default:
                    throw NoHandler(St(r), i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ExecState* St(ulong* registers) => (ExecState*)registers;

    // An LD_ABS/LD_IND outside the packet ends the whole program with r0 = 0, from a callback too.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong EndRunEarly(RunContext run)
    {
        run.RequestExit(0);
        return 0;
    }
}
