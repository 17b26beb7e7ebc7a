using BpfSharp.Maps;
using BpfSharp.Tests.Maps;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// StatePrinter against the live kernel: every expected line below was printed by the 6.18.44 kernel's verifier
/// (BPF_PROG_LOAD as root, log_level 2) for the programs described in <see cref="StatePrinterKernelPrograms"/>,
/// copied literally (the map addresses in the lddw lines are those of that run). Each test builds the same
/// verifier state by hand, prints it with StatePrinter and puts it after the same prefix the kernel's walk writes
/// (<c>N:</c>, the instruction text and its padding, <c>from X to Y:</c>). <see cref="StatePrinterKernelTests"/>
/// checks against the running kernel that these lines are still what it prints.
/// </summary>
public sealed class StatePrinterTests : IDisposable
{
    private readonly Map _m;   // hash, key 4, value 8, name "m"
    private readonly Map _arr; // array, key 4, value 48, name "arr"

    public StatePrinterTests()
    {
        MapContext context = HashTestKit.Context();
        _m = Create(context, BpfMapType.Hash, 4, 8, 16, "m");
        _arr = Create(context, BpfMapType.Array, 4, 48, 4, "arr");
    }

    private static Map Create(MapContext context, BpfMapType type, uint ks, uint vs, uint max, string name)
    {
        var attributes = new MapAttributes { Type = type, KeySize = ks, ValueSize = vs, MaxEntries = max, Name = name };
        int err = MapFactory.Create(attributes, context, out Map? map);
        Assert.True(err == 0, $"create {type}: {err}");
        return map!;
    }

    public void Dispose()
    {
        _m.Release();
        _arr.Release();
    }

    /// <summary>Kernel log lines (6.18.44, log_level 2), keyed by program and instruction.</summary>
    public static TheoryData<string, string> KernelLines() => new()
    {
        // P1: map lookup, null check, pointer and scalar spills (socket filter)
        { "P1 start", "0: R1=ctx() R10=fp0" },
        { "P1 0", "0: (62) *(u32 *)(r10 -4) = 0          ; R10=fp0 fp-8=0000????" },
        { "P1 2", "2: (07) r2 += -4                      ; R2=fp-4" },
        { "P1 3", "3: (18) r1 = 0xffff88812b54a800       ; R1=map_ptr(map=m,ks=4,vs=8)" },
        { "P1 5", "5: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,map=m,ks=4,vs=8)" },
        { "P1 6", "6: (bf) r6 = r0                       ; R0=map_value_or_null(id=1,map=m,ks=4,vs=8) R6=map_value_or_null(id=1,map=m,ks=4,vs=8)" },
        { "P1 7", "7: (15) if r0 == 0x0 goto pc+3        ; R0=map_value(map=m,ks=4,vs=8)" },
        { "P1 9", "9: (7b) *(u64 *)(r10 -16) = r0        ; R0=map_value(map=m,ks=4,vs=8) R10=fp0 fp-16=map_value(map=m,ks=4,vs=8)" },
        { "P1 10", "10: (7b) *(u64 *)(r10 -24) = r3       ; R3=scalar(id=2) R10=fp0 fp-24=scalar(id=2)" },
        { "P1 11", "11: (b7) r0 = 0                       ; R0=0" },
        // P2: a call to a subprogram with a pointer to the caller's stack (socket filter)
        { "P2 0", "0: (7a) *(u64 *)(r10 -8) = 7          ; R10=fp0 fp-8=7" },
        { "P2 1", "1: (61) r6 = *(u32 *)(r1 +0)          ; R1=ctx() R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))" },
        { "P2 caller", " R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-8=7" },
        { "P2 8", "8: frame1: R1=fp[0]-8 R10=fp0" },
        { "P2 8 insn", "8: (79) r0 = *(u64 *)(r1 +0)          ; frame1: R0=7 R1=fp[0]-8" },
        { "P2 from 10", "from 10 to 5: R0=1 R6=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-8=7" },
        { "P2 from 5", "from 5 to 7: R0=1 R6=scalar(smin=umin=umin32=11,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0 fp-8=7" },
        // P3: packet pointers, variable offsets, narrow stack writes (sched_cls)
        { "P3 0", "0: (61) r2 = *(u32 *)(r1 +76)         ; R1=ctx() R2=pkt(r=0)" },
        { "P3 1", "1: (61) r3 = *(u32 *)(r1 +80)         ; R1=ctx() R3=pkt_end()" },
        { "P3 4", "4: (07) r4 += 14                      ; R4=pkt(off=14,r=0)" },
        { "P3 5", "5: (2d) if r4 > r3 goto pc+8          ; R3=pkt_end() R4=pkt(off=14,r=14)" },
        { "P3 9", "9: R2=pkt(id=1,r=0,smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6)) R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6))" },
        { "P3 9 insn", "9: (63) *(u32 *)(r10 -8) = r5         ; R5=scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6)) R10=fp0 fp-8=????scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6))" },
        { "P3 10", "10: (62) *(u32 *)(r10 -16) = 0        ; R10=fp0 fp-16=????0" },
        { "P3 11", "11: (73) *(u8 *)(r10 -22) = r5        ; R5=scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6)) R10=fp0 fp-24=?????m??" },
        { "P3 15", "15: R5=scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6)) R8=fp(smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x6))" },
        { "P3 from 5", "from 5 to 14: R1=ctx() R2=pkt(r=0) R3=pkt_end() R4=pkt(off=14,r=0xfffffffffffffffe) R5=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0" },
        // P4: add-const ids, ring buffer records and references (socket filter)
        { "P4 7", "7: (07) r7 += 4                       ; R7=scalar(id=1+4,smin=umin=smin32=umin32=4,smax=umax=smax32=umax32=6,var_off=(0x4; 0x2))" },
        { "P4 13", "13: R0=ringbuf_mem_or_null(id=3,ref_obj_id=3,sz=16) refs=3" },
        { "P4 14", "14: (bf) r1 = r0                      ; R0=ringbuf_mem(ref_obj_id=3,sz=16) R1=ringbuf_mem(ref_obj_id=3,sz=16) refs=3" },
        { "P4 16", "16: (85) call bpf_ringbuf_discard#133         ;" },
        // P6: packet metadata, a spilled frame pointer, map value offsets (xdp)
        { "P6 0", "0: (61) r2 = *(u32 *)(r1 +8)          ; R1=ctx() R2=pkt_meta(r=0)" },
        { "P6 2", "2: (7b) *(u64 *)(r10 -16) = r10       ; R10=fp0 fp-16=fp0" },
        { "P6 5", "5: (62) *(u32 *)(r10 -4) = 1          ; R10=fp0 fp-8=mmmm????" },
        { "P6 12", "12: (07) r0 += 4                      ; R0=map_value(map=arr,ks=4,vs=48,off=4)" },
        { "P6 16", "16: R0=map_value(map=arr,ks=4,vs=48,off=4,smin=smin32=0,smax=umax=smax32=umax32=8,var_off=(0x0; 0x8)) R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=8,var_off=(0x0; 0x8))" },
        // P7: socket references, a callee spilling a pointer to its caller's stack (sched_cls)
        { "P7 11", "11: R0=sock_or_null(id=2,ref_obj_id=2) refs=2" },
        { "P7 13", "13: (85) call bpf_sk_release#86       ; R0=scalar()" },
        { "P7 19", "19: (7b) *(u64 *)(r10 -8) = r1        ; frame1: R1=fp[0]-8 R10=fp0 fp-8=fp[0]-8" },
        { "P7 return", " R0=0 R10=fp0 fp-8=0 fp-16=0 fp-24=0 fp-32=0 fp-40=0" },
    };

    [Theory]
    [MemberData(nameof(KernelLines))]
    public void PrintsTheKernelsLine(string name, string expected) => Assert.Equal(expected, Build(name));

    // the unsigned 32-bit load "rX = *(u32 *)(r1 +0)" (coerce_reg_to_size)
    private static ScalarBounds U32()
    {
        ScalarBounds b = ScalarBounds.Unknown;
        b.CoerceToSize(4);
        return b;
    }

    private static ScalarBounds And(ScalarBounds b, long imm) => ScalarBounds.Alu(BPF_AND, b, ScalarBounds.Const(imm), alu32: false);

    private static RegState Scalar(ScalarBounds b, uint id = 0)
    {
        RegState r = RegState.Scalar(b);
        r.Id = id;
        return r;
    }

    private static RegState Pkt(RegType type, int off, int range)
    {
        RegState r = RegState.Pointer(type, off);
        r.Range = range;
        return r;
    }

    private static uint Regs(params int[] regs)
    {
        uint mask = 0;
        foreach (int r in regs) mask |= 1u << r;
        return mask;
    }

    private static ulong Slots(params int[] spis)
    {
        ulong mask = 0;
        foreach (int s in spis) mask |= 1UL << s;
        return mask;
    }

    // "N: (op) insn" + padding + ";" + the scratched part of the state (kernel: print_insn_state)
    private static string Insn(string insn, VerifierState s, uint regs, ulong slots = 0, int frame = 0) =>
        insn + new string(' ', StatePrinter.InsnStateAlignment(insn.Length)) + ";"
        + StatePrinter.VerifierStateText(s, frame, printAll: false, regs, slots);

    private static string All(string prefix, VerifierState s, int frame = 0) =>
        prefix + StatePrinter.VerifierStateText(s, frame, printAll: true);

    private static void Write(FuncState f, int off, int size, StackSlotType type)
    {
        f.GrowStack(-off);
        for (int i = 0; i < size; i++)
        {
            ref StackSlot slot = ref f.Slot(StackSlot.Spi(off + i));
            slot.SlotType[StackSlot.ByteIndex(off + i)] = type;
        }
    }

    private static void Spill(FuncState f, int off, int size, RegState reg)
    {
        f.GrowStack(-off);
        f.Slot(StackSlot.Spi(off)).SaveRegister(reg, size);
    }

    // P2 frame 1 after "call pc+3" with r1 = fp-8 of frame 0
    private static VerifierState P2Callee(out FuncState callee)
    {
        var s = new VerifierState();
        FuncState caller = s.Current;
        Spill(caller, -8, 8, RegState.KnownScalar(7));
        caller.Regs[1].MarkNotInit();
        caller.Regs[6] = Scalar(U32());
        callee = new FuncState(1, callsite: 4, subprogno: 1);
        callee.Regs[1] = RegState.StackPointer(0, -8);
        s.PushFrame(callee);
        return s;
    }

    private string Build(string name)
    {
        var s = new VerifierState();
        FuncState f = s.Current;
        RegState[] r = f.Regs;
        ScalarBounds and6 = And(U32(), 6);
        switch (name)
        {
            case "P1 start":
                return All("0:", s);
            case "P1 0":
                Write(f, -4, 4, StackSlotType.Zero);
                return Insn("0: (62) *(u32 *)(r10 -4) = 0", s, Regs(10), Slots(0));
            case "P1 2":
                r[2] = RegState.StackPointer(0, -4);
                return Insn("2: (07) r2 += -4", s, Regs(2));
            case "P1 3":
                r[1] = RegState.MapPointer(RegType.ConstPtrToMap, _m);
                return Insn("3: (18) r1 = 0xffff88812b54a800", s, Regs(1));
            case "P1 5":
                r[0] = RegState.MapPointer(RegType.PtrToMapValueOrNull, _m, id: 1);
                return Insn("5: (85) call bpf_map_lookup_elem#1", s, Regs(0));
            case "P1 6":
                r[0] = r[6] = RegState.MapPointer(RegType.PtrToMapValueOrNull, _m, id: 1);
                return Insn("6: (bf) r6 = r0", s, Regs(0, 6));
            case "P1 7":
                r[0] = RegState.MapPointer(RegType.PtrToMapValue, _m);
                return Insn("7: (15) if r0 == 0x0 goto pc+3", s, Regs(0));
            case "P1 9":
                r[0] = RegState.MapPointer(RegType.PtrToMapValue, _m);
                Write(f, -4, 4, StackSlotType.Zero);
                Spill(f, -16, 8, r[0]);
                return Insn("9: (7b) *(u64 *)(r10 -16) = r0", s, Regs(0, 10), Slots(1));
            case "P1 10":
                r[3] = Scalar(ScalarBounds.Unknown, id: 2);
                Write(f, -4, 4, StackSlotType.Zero);
                Spill(f, -16, 8, RegState.MapPointer(RegType.PtrToMapValue, _m));
                Spill(f, -24, 8, r[3]);
                return Insn("10: (7b) *(u64 *)(r10 -24) = r3", s, Regs(3, 10), Slots(2));
            case "P1 11":
                r[0] = RegState.KnownScalar(0);
                return Insn("11: (b7) r0 = 0", s, Regs(0));

            case "P2 0":
                Spill(f, -8, 8, RegState.KnownScalar(7));
                return Insn("0: (7a) *(u64 *)(r10 -8) = 7", s, Regs(10), Slots(0));
            case "P2 1":
                r[6] = Scalar(U32());
                return Insn("1: (61) r6 = *(u32 *)(r1 +0)", s, Regs(1, 6));
            case "P2 caller":
                return StatePrinter.VerifierStateText(P2Callee(out _), 0, printAll: true);
            case "P2 8":
                return All("8:", P2Callee(out _), frame: 1);
            case "P2 8 insn":
            {
                VerifierState two = P2Callee(out FuncState callee);
                callee.Regs[0] = RegState.KnownScalar(7);
                return Insn("8: (79) r0 = *(u64 *)(r1 +0)", two, Regs(0, 1), frame: 1);
            }
            case "P2 from 10":
            case "P2 from 5":
            {
                Spill(f, -8, 8, RegState.KnownScalar(7));
                r[1].MarkNotInit();
                r[0] = RegState.KnownScalar(1);
                ScalarBounds b = U32();
                if (name == "P2 from 5")
                {
                    b.UMin = 11; // the fall-through of "if r6 > 0xa goto" refined
                    b.Sync();
                    return All("from 5 to 7:", SetR6(s, b));
                }
                return All("from 10 to 5:", SetR6(s, b));
            }

            case "P3 0":
                r[2] = Pkt(RegType.PtrToPacket, 0, 0);
                return Insn("0: (61) r2 = *(u32 *)(r1 +76)", s, Regs(1, 2));
            case "P3 1":
                r[3] = RegState.Pointer(RegType.PtrToPacketEnd);
                return Insn("1: (61) r3 = *(u32 *)(r1 +80)", s, Regs(1, 3));
            case "P3 4":
                r[4] = Pkt(RegType.PtrToPacket, 14, 0);
                return Insn("4: (07) r4 += 14", s, Regs(4));
            case "P3 5":
                r[3] = RegState.Pointer(RegType.PtrToPacketEnd);
                r[4] = Pkt(RegType.PtrToPacket, 14, 14);
                return Insn("5: (2d) if r4 > r3 goto pc+8", s, Regs(3, 4));
            case "P3 9":
                r[2] = Pkt(RegType.PtrToPacket, 0, 0);
                r[2].Id = 1;
                r[2].Bounds = and6;
                r[5] = Scalar(and6);
                return "9:" + StatePrinter.VerifierStateText(s, 0, printAll: false, Regs(2, 5));
            case "P3 9 insn":
                r[5] = Scalar(and6, id: 2);
                Spill(f, -8, 4, r[5]);
                return Insn("9: (63) *(u32 *)(r10 -8) = r5", s, Regs(5, 10), Slots(0));
            case "P3 10":
                Spill(f, -8, 4, Scalar(and6, id: 2));
                Spill(f, -16, 4, RegState.KnownScalar(0));
                return Insn("10: (62) *(u32 *)(r10 -16) = 0", s, Regs(10), Slots(1));
            case "P3 11":
                r[5] = Scalar(and6, id: 2);
                Write(f, -22, 1, StackSlotType.Misc);
                return Insn("11: (73) *(u8 *)(r10 -22) = r5", s, Regs(5, 10), Slots(2));
            case "P3 15":
                r[5] = Scalar(and6, id: 2);
                r[8] = RegState.StackPointer(0);
                r[8].Bounds = and6;
                return "15:" + StatePrinter.VerifierStateText(s, 0, printAll: false, Regs(5, 8));
            case "P3 from 5":
                r[2] = Pkt(RegType.PtrToPacket, 0, 0);
                r[3] = RegState.Pointer(RegType.PtrToPacketEnd);
                r[4] = Pkt(RegType.PtrToPacket, 14, -2); // BEYOND_PKT_END
                r[5] = Scalar(U32());
                return All("from 5 to 14:", s);

            case "P4 7":
                r[7] = Scalar(ScalarBounds.FromTnum(new Tnum(4, 2)), id: 1 | RegState.AddConstFlag);
                r[7].Off = 4;
                return Insn("7: (07) r7 += 4", s, Regs(7));
            case "P4 13":
                r[0] = RingbufMem(RegType.PtrToMemOrNull, id: 3);
                s.References.Add(new VerifierStateReference(3, 12));
                return "13:" + StatePrinter.VerifierStateText(s, 0, printAll: false, Regs(0));
            case "P4 14":
                r[0] = r[1] = RingbufMem(RegType.PtrToMem, id: 0);
                s.References.Add(new VerifierStateReference(3, 12));
                return Insn("14: (bf) r1 = r0", s, Regs(0, 1));
            case "P4 16":
                return Insn("16: (85) call bpf_ringbuf_discard#133", s, 0);

            case "P6 0":
                r[2] = Pkt(RegType.PtrToPacketMeta, 0, 0);
                return Insn("0: (61) r2 = *(u32 *)(r1 +8)", s, Regs(1, 2));
            case "P6 2":
                Spill(f, -16, 8, r[10]);
                return Insn("2: (7b) *(u64 *)(r10 -16) = r10", s, Regs(10), Slots(1));
            case "P6 5":
                Spill(f, -16, 8, r[10]);
                Write(f, -4, 4, StackSlotType.Misc);
                return Insn("5: (62) *(u32 *)(r10 -4) = 1", s, Regs(10), Slots(0));
            case "P6 12":
                r[0] = RegState.MapPointer(RegType.PtrToMapValue, _arr, off: 4);
                return Insn("12: (07) r0 += 4", s, Regs(0));
            case "P6 16":
            {
                ScalarBounds and8 = ScalarBounds.FromTnum(new Tnum(0, 8));
                r[0] = RegState.MapPointer(RegType.PtrToMapValue, _arr, off: 4);
                r[0].Bounds = and8;
                r[5] = Scalar(and8);
                return "16:" + StatePrinter.VerifierStateText(s, 0, printAll: false, Regs(0, 5));
            }

            case "P7 11":
                r[0] = RegState.Pointer(RegType.PtrToSocketOrNull);
                r[0].Id = r[0].RefObjId = 2;
                s.References.Add(new VerifierStateReference(2, 10));
                return "11:" + StatePrinter.VerifierStateText(s, 0, printAll: false, Regs(0));
            case "P7 13":
                r[0] = RegState.UnknownScalar();
                return Insn("13: (85) call bpf_sk_release#86", s, Regs(0));
            case "P7 19":
            {
                var callee = new FuncState(1, callsite: 16, subprogno: 1);
                callee.Regs[1] = RegState.StackPointer(0, -8);
                Spill(callee, -8, 8, callee.Regs[1]);
                s.PushFrame(callee);
                return Insn("19: (7b) *(u64 *)(r10 -8) = r1", s, Regs(1, 10), Slots(0), frame: 1);
            }
            case "P7 return":
                for (int off = -8; off >= -40; off -= 8)
                    Spill(f, off, 8, RegState.KnownScalar(0));
                r[1].MarkNotInit();
                r[0] = RegState.KnownScalar(0);
                return StatePrinter.VerifierStateText(s, 0, printAll: true);
        }
        throw new ArgumentException(name);
    }

    private static VerifierState SetR6(VerifierState s, ScalarBounds b)
    {
        s.Regs[6] = Scalar(b);
        return s;
    }

    private static RegState RingbufMem(RegType type, uint id)
    {
        RegState r = RegState.Pointer(type | RegType.MemRingbuf);
        r.Id = id;
        r.RefObjId = 3;
        r.MemSize = 16;
        return r;
    }
}
