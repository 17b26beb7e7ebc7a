using System.Reflection.Emit;
using System.Reflection;
using System.Runtime.CompilerServices;
using BpfSharp.Memory;

namespace BpfSharp.Runtime.Jit;

// Loads, stores and atomics as ldind/stind on native addresses (unaligned. where wider than a byte); checked mode
// tests each access with AccessCheck first, as the interpreter does. Atomics call AtomicSemantics (Interlocked).
internal sealed partial class MethodCompiler
{
    private static readonly MethodInfo Check = Method(typeof(AccessCheck), nameof(AccessCheck.Check));
    private static readonly MethodInfo CheckAtomic = Method(typeof(AccessCheck), nameof(AccessCheck.CheckAtomic));
    private static readonly MethodInfo CheckAligned = Method(typeof(AccessCheck), nameof(AccessCheck.CheckAligned));
    private static readonly MethodInfo LoadAcquire = Method(typeof(AtomicSemantics), nameof(AtomicSemantics.LoadAcquire));
    private static readonly MethodInfo StoreRelease = Method(typeof(AtomicSemantics), nameof(AtomicSemantics.StoreRelease));
    private static readonly MethodInfo LoadPacket = Method(typeof(JitRuntime), nameof(JitRuntime.LoadPacket));
    private static readonly MethodInfo IndirectOffset = Method(typeof(PacketLoad), nameof(PacketLoad.IndirectOffset));
    private static readonly MethodInfo ProbeLoadMethod = Method(typeof(ProbeLoad), nameof(ProbeLoad.Load));

    private static readonly MethodInfo[] AtomicOps =
    [
        // In AtomicSlot order, 32-bit then 64-bit.
        .. AtomicRow(nameof(AtomicSemantics.FetchAdd32), nameof(AtomicSemantics.FetchOr32), nameof(AtomicSemantics.FetchAnd32),
            nameof(AtomicSemantics.FetchXor32), nameof(AtomicSemantics.Exchange32), nameof(AtomicSemantics.CompareExchange32)),
        .. AtomicRow(nameof(AtomicSemantics.FetchAdd64), nameof(AtomicSemantics.FetchOr64), nameof(AtomicSemantics.FetchAnd64),
            nameof(AtomicSemantics.FetchXor64), nameof(AtomicSemantics.Exchange64), nameof(AtomicSemantics.CompareExchange64)),
    ];

    private static MethodInfo[] AtomicRow(string add, string or, string and, string xor, string xchg, string cmpxchg)
    {
        var row = new MethodInfo[AtomicSlot.Count];
        row[AtomicSlot.Add] = row[AtomicSlot.FetchAdd] = Method(typeof(AtomicSemantics), add);
        row[AtomicSlot.Or] = row[AtomicSlot.FetchOr] = Method(typeof(AtomicSemantics), or);
        row[AtomicSlot.And] = row[AtomicSlot.FetchAnd] = Method(typeof(AtomicSemantics), and);
        row[AtomicSlot.Xor] = row[AtomicSlot.FetchXor] = Method(typeof(AtomicSemantics), xor);
        row[AtomicSlot.Xchg] = Method(typeof(AtomicSemantics), xchg);
        row[AtomicSlot.CmpXchg] = Method(typeof(AtomicSemantics), cmpxchg);
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoadStore(int pc, in DecodedInsn i)
    {
        switch (i.Op)
        {
            case ExecOp.LdxB: Load(pc, in i, 1, OpCodes.Ldind_U1, OpCodes.Conv_U8); break;
            case ExecOp.LdxH: Load(pc, in i, 2, OpCodes.Ldind_U2, OpCodes.Conv_U8); break;
            case ExecOp.LdxW: Load(pc, in i, 4, OpCodes.Ldind_U4, OpCodes.Conv_U8); break;
            case ExecOp.LdxDW: Load(pc, in i, 8, OpCodes.Ldind_I8, null); break;
            case ExecOp.LdxSxB: Load(pc, in i, 1, OpCodes.Ldind_I1, OpCodes.Conv_I8); break;
            case ExecOp.LdxSxH: Load(pc, in i, 2, OpCodes.Ldind_I2, OpCodes.Conv_I8); break;
            case ExecOp.LdxSxW: Load(pc, in i, 4, OpCodes.Ldind_I4, OpCodes.Conv_I8); break;
            case ExecOp.StB: Store(pc, in i, 1, false); break;
            case ExecOp.StH: Store(pc, in i, 2, false); break;
            case ExecOp.StW: Store(pc, in i, 4, false); break;
            case ExecOp.StDW: Store(pc, in i, 8, false); break;
            case ExecOp.StxB: Store(pc, in i, 1, true); break;
            case ExecOp.StxH: Store(pc, in i, 2, true); break;
            case ExecOp.StxW: Store(pc, in i, 4, true); break;
            case ExecOp.StxDW: Store(pc, in i, 8, true); break;
            case >= ExecOp.ProbeLdxB and <= ExecOp.ProbeLdxSxW: ProbeLoadOp(in i); break;
            case >= ExecOp.LdAcqB and <= ExecOp.LdAcqDW: LoadAcquireOp(pc, in i, 1 << (i.Op - ExecOp.LdAcqB)); break;
            case >= ExecOp.StRelB and <= ExecOp.StRelDW: StoreReleaseOp(pc, in i, 1 << (i.Op - ExecOp.StRelB)); break;
            default: throw new InvalidOperationException($"insn {pc}: {i.Op} is not a load or store");
        }
    }

    // dst = *(size *)(src + off), zero- or sign-extended.
    private void Load(int pc, in DecodedInsn i, int size, OpCode load, OpCode? extend)
    {
        Address(pc, i.Src, i.Off, size, AccessKind.Load);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(load);
        if (extend is { } e) _il.Emit(e);
        St(i.Dst);
    }

    // dst = ProbeLoad.Load(run, src + off, op): a load through a kernel pointer, 0 where it would fault.
    private void ProbeLoadOp(in DecodedInsn i)
    {
        _il.Emit(OpCodes.Ldarg_1);
        Ld(i.Src);
        LdcI8(i.Off);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldc_I4, (int)i.Op);
        _il.Emit(OpCodes.Call, ProbeLoadMethod);
        St(i.Dst);
    }

    // *(size *)(dst + off) = src or imm, truncated to size.
    private void Store(int pc, in DecodedInsn i, int size, bool fromRegister)
    {
        Address(pc, i.Dst, i.Off, size, AccessKind.Store);
        if (fromRegister)
        {
            Ld(i.Src);
            if (size < 8) _il.Emit(OpCodes.Conv_U4);
        }
        else if (size < 8) _il.Emit(OpCodes.Ldc_I4, (int)i.Imm);
        else LdcI8(i.Imm);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(size switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
    }

    // dst = load_acquire((size *)(src + off)), zero-extended (AtomicSemantics.LoadAcquire).
    private void LoadAcquireOp(int pc, in DecodedInsn i, int size)
    {
        OrderedAddress(pc, i.Src, i.Off, size, AccessKind.Load);
        _il.Emit(OpCodes.Ldc_I4, size);
        _il.Emit(OpCodes.Call, LoadAcquire);
        St(i.Dst);
    }

    // store_release((size *)(dst + off), src) (AtomicSemantics.StoreRelease).
    private void StoreReleaseOp(int pc, in DecodedInsn i, int size)
    {
        OrderedAddress(pc, i.Dst, i.Off, size, AccessKind.Store);
        _il.Emit(OpCodes.Ldc_I4, size);
        Ld(i.Src);
        _il.Emit(OpCodes.Call, StoreRelease);
    }

    // Pushes base + off as a native pointer; in checked mode checks the access first.
    private void Address(int pc, byte register, int offset, int size, AccessKind kind)
    {
        PushAddress(pc, register, offset, size, kind, Check);
        _il.Emit(OpCodes.Conv_U);
    }

    // Pushes base + off as a u64 address for an access that must be aligned (load-acquire, store-release).
    private void OrderedAddress(int pc, byte register, int offset, int size, AccessKind kind) =>
        PushAddress(pc, register, offset, size, kind, CheckAligned);

    // Pushes base + off as a u64; in checked mode calls check on it first.
    private void PushAddress(int pc, byte register, int offset, int size, AccessKind kind, MethodInfo check)
    {
        Ld(register);
        if (offset != 0)
        {
            LdcI8(offset);
            _il.Emit(OpCodes.Add);
        }
        if (_checked)
        {
            _il.Emit(OpCodes.Stloc, _address);
            EmitCheck(pc, size, kind, check);
            _il.Emit(OpCodes.Ldloc, _address);
        }
    }

    // AccessCheck.Check / CheckAligned(run, stackLow, stackTop, address, size, kind, pc) or CheckAtomic (without the kind).
    private void EmitCheck(int pc, int size, AccessKind kind, MethodInfo check)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _stackLow);
        _il.Emit(OpCodes.Ldloc, _stackTop);
        _il.Emit(OpCodes.Ldloc, _address);
        LdcI8(size);
        if (check != CheckAtomic) _il.Emit(OpCodes.Ldc_I4, (int)kind);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Call, check);
    }

    // Atomics on *(size *)(dst + off): FETCH forms and xchg put the old value in src, cmpxchg in r0.
    private void Atomic(int pc, in DecodedInsn i)
    {
        bool is64 = i.Op >= ExecOp.Atomic64;
        byte slot = (byte)(i.Op - (is64 ? ExecOp.Atomic64 : ExecOp.Atomic32));
        PushAddress(pc, i.Dst, i.Off, is64 ? 8 : 4, AccessKind.Atomic, CheckAtomic);
        Ld(i.Src);
        if (slot == AtomicSlot.CmpXchg) Ld(0);
        _il.Emit(OpCodes.Call, AtomicOps[(is64 ? AtomicSlot.Count : 0) + slot]);
        switch (slot)
        {
            case AtomicSlot.Add or AtomicSlot.Or or AtomicSlot.And or AtomicSlot.Xor: _il.Emit(OpCodes.Pop); break;
            case AtomicSlot.CmpXchg: St(0); break;
            default: St(i.Src); break;
        }
    }

    // LD_ABS / LD_IND: r0 = the packet bytes; outside the packet the program ends with r0 = 0 (kernel semantics).
    private void SpecialLoad(in DecodedInsn i)
    {
        if (i.Op == ExecOp.LdImm64)
        {
            LdcI8(i.Imm);
            St(i.Dst);
            return;
        }
        bool indirect = i.Op >= ExecOp.LdIndB;
        int size = (indirect ? i.Op - ExecOp.LdIndB : i.Op - ExecOp.LdAbsB) switch { 0 => 1, 1 => 2, _ => 4 };
        _il.Emit(OpCodes.Ldarg_1);
        if (indirect)
        {
            Ld(i.Src);
            _il.Emit(OpCodes.Ldc_I4, (int)i.Imm);
            _il.Emit(OpCodes.Call, IndirectOffset);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4, (int)i.Imm);
        }
        _il.Emit(OpCodes.Ldc_I4, size);
        _il.Emit(OpCodes.Call, LoadPacket);
        St(0);
        BranchIfExitRequested();
    }
}
