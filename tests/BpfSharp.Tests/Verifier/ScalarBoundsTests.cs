using System.Text.RegularExpressions;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// ScalarBounds against exact expectations: register states printed by the live 6.18 kernel's verifier, and
/// examples from kernel comments with the expected values derived by hand.
/// </summary>
public class ScalarBoundsTests
{
    // R2 after "r2 = *(u32 *)(r1 +0)" on a socket filter: an unknown scalar narrowed to 4 bytes (coerce_reg_to_size).
    private static ScalarBounds U32Load()
    {
        ScalarBounds r = ScalarBounds.Unknown;
        r.CoerceToSize(4);
        return r;
    }

    private static ScalarBounds Alu64(byte op, ScalarBounds dst, long imm) => ScalarBounds.Alu(op, dst, ScalarBounds.Const(imm), alu32: false);
    private static ScalarBounds Alu32(byte op, ScalarBounds dst, long imm) => ScalarBounds.Alu(op, dst, ScalarBounds.Const(imm), alu32: true);

    private static readonly ScalarBounds R2 = U32Load();
    private static readonly ScalarBounds R3 = Alu64(BPF_AND, R2, 0xff);
    private static readonly ScalarBounds R4 = Alu64(BPF_ADD, R3, -5);

    /// <summary>
    /// The program below was loaded as root into the live kernel (6.18.44) with BPF_PROG_LOAD, log_level 1,
    /// through KernelBpf.ProgLoad; each expected string is the state the kernel printed for the destination
    /// register after the instruction, copied literally except for the "id=..." field, which belongs to RegState.
    /// r2 = *(u32 *)(r1 +0); r3 = r2 &amp; 255; r4 = r3 + -5; then each row below starts from those registers.
    /// </summary>
    public static TheoryData<string, string> KernelLogCases() => new()
    {
        { "r2 = *(u32 *)(r1 +0)", "scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))" },
        { "r3 &= 255", "scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))" },
        { "r4 += -5", "scalar(smin=smin32=-5,smax=smax32=250)" },
        { "r5 = r2; r5 <<= 32", "scalar(smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))" },
        { "r5 = r2; r5 <<= 32; r5 s>>= 32", "scalar(smin=0xffffffff80000000,smax=0x7fffffff)" },
        { "w6 = w4", "scalar(smin=0,smax=umax=0xffffffff,smin32=-5,smax32=250,var_off=(0x0; 0xffffffff))" },
        { "r7 = (s8)r3", "scalar(smin=smin32=-128,smax=smax32=127)" },
        { "r8 = r3; r8 *= 3", "scalar(smin=smin32=0,smax=umax=smax32=umax32=765,var_off=(0x0; 0x3ff))" },
        { "r8 = r3; r8 *= 3; r8 |= 1", "scalar(smin=umin=smin32=umin32=1,smax=umax=smax32=umax32=1023,var_off=(0x1; 0x3fe))" },
        { "r9 = r4; r9 = -r9", "scalar(smin=smin32=-250,smax=smax32=5)" },
        { "r3 = r4; r3 >>= 1", "scalar(smin=0,umax=0x7fffffffffffffff,var_off=(0x0; 0x7fffffffffffffff))" },
        { "r3 = r4; r3 ^= 256", "scalar()" },
        { "r3 = r2; r3 -= r4", "scalar(smin=-250,smax=0x100000004)" },
        { "r3 = r2; w3 s>>= 4", "scalar(smin=0,smax=umax=0xffffffff,smin32=0xf8000000,smax32=0x7ffffff,var_off=(0x0; 0xffffffff))" },
        { "r3 = r4; r3 <<= 40", "scalar(smax=0x7fffff0000000000,umax=0xffffff0000000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffff0000000000))" },
        { "r3 = r2; r3 += 2147483647", "scalar(smin=umin=0x7fffffff,smax=umax=0x17ffffffe,var_off=(0x0; 0x1ffffffff))" },
        { "r3 = r2; r3 += 2147483647; r3 += 2147483647", "scalar(smin=umin=0xfffffffe,smax=umax=0x1fffffffd,var_off=(0x0; 0x1ffffffff))" },
        { "r3 = r2; w3 += -100", "scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))" },
        { "w3 = (s8)w4", "scalar(smin=0,smax=umax=0xffffffff,smin32=-128,smax32=127,var_off=(0x0; 0xffffffff))" },
        { "r3 = -70000", "0xfffffffffffeee90" },
        { "w3 = -70000", "0xfffeee90" },
        { "r3 = r2; r3 &= -16", "scalar(smin=0,smax=umax=umax32=0xfffffff0,smax32=0x7ffffff0,var_off=(0x0; 0xfffffff0))" },
    };

    private static ScalarBounds Compute(string insns) => insns switch
    {
        "r2 = *(u32 *)(r1 +0)" => R2,
        "r3 &= 255" => R3,
        "r4 += -5" => R4,
        "r5 = r2; r5 <<= 32" => Alu64(BPF_LSH, R2, 32),
        "r5 = r2; r5 <<= 32; r5 s>>= 32" => Alu64(BPF_ARSH, Alu64(BPF_LSH, R2, 32), 32),
        "w6 = w4" => ScalarBounds.Mov(R4, alu32: true),
        "r7 = (s8)r3" => ScalarBounds.Mov(R3, alu32: false, signExtendBits: 8),
        "r8 = r3; r8 *= 3" => Alu64(BPF_MUL, R3, 3),
        "r8 = r3; r8 *= 3; r8 |= 1" => Alu64(BPF_OR, Alu64(BPF_MUL, R3, 3), 1),
        "r9 = r4; r9 = -r9" => ScalarBounds.Alu(BPF_NEG, R4, R4, alu32: false),
        "r3 = r4; r3 >>= 1" => Alu64(BPF_RSH, R4, 1),
        "r3 = r4; r3 ^= 256" => Alu64(BPF_XOR, R4, 256),
        "r3 = r2; r3 -= r4" => ScalarBounds.Alu(BPF_SUB, R2, R4, alu32: false),
        "r3 = r2; w3 s>>= 4" => Alu32(BPF_ARSH, R2, 4),
        "r3 = r4; r3 <<= 40" => Alu64(BPF_LSH, R4, 40),
        "r3 = r2; r3 += 2147483647" => Alu64(BPF_ADD, R2, 0x7fffffff),
        "r3 = r2; r3 += 2147483647; r3 += 2147483647" => Alu64(BPF_ADD, Alu64(BPF_ADD, R2, 0x7fffffff), 0x7fffffff),
        "r3 = r2; w3 += -100" => Alu32(BPF_ADD, R2, -100),
        "w3 = (s8)w4" => ScalarBounds.Mov(R4, alu32: true, signExtendBits: 8),
        "r3 = -70000" => ScalarBounds.Const(-70000L),
        "w3 = -70000" => ScalarBounds.Mov(ScalarBounds.Const((ulong)unchecked((uint)-70000)), alu32: true),
        "r3 = r2; r3 &= -16" => Alu64(BPF_AND, R2, -16),
        _ => throw new ArgumentException(insns),
    };

    [Theory]
    [MemberData(nameof(KernelLogCases))]
    public void MatchesKernelLog(string insns, string kernelText)
    {
        ScalarBounds r = Compute(insns);
        Assert.Equal(kernelText, r.ToString());
        Assert.Null(r.SanityCheck());
    }

    /// <summary>Strips "id=N," and "id=N+K," from kernel text: a RegState field, not part of the bounds.</summary>
    [Fact]
    public void KernelTextWithIdMatchesAfterStrippingId()
    {
        const string printed = "scalar(id=2-5,smin=smin32=-5,smax=smax32=250)"; // 6.18 log, insn 4 above
        Assert.Equal(Regex.Replace(printed, @"id=[0-9+-]+,", ""), R4.ToString());
    }

    [Fact]
    public void UnknownPrintsEmptyScalar() => Assert.Equal("scalar()", ScalarBounds.Unknown.ToString());

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(32767UL, "32767")]
    [InlineData(32768UL, "0x8000")]
    [InlineData(0xffffffffffff8000UL, "-32768")]
    [InlineData(0xffffffffffff7fffUL, "0xffffffffffff7fff")]
    public void ConstantsPrintAsSignedNumbers(ulong value, string text) =>
        Assert.Equal(text, ScalarBounds.Const(value).ToString());

    /// <summary>
    /// reg_bounds_sync's own comment: umax 0x7f..f with var_off (0; 0xf..fc) gives var_off (0; 0x7f..fc),
    /// which improves umax to 0x7f..fc.
    /// </summary>
    [Fact]
    public void SyncLearnsUmaxFromIntersectedVarOff()
    {
        ScalarBounds r = ScalarBounds.Unknown;
        r.UMax = 0x7fffffffffffffffUL;
        r.VarOff = new Tnum(0, 0xfffffffffffffffcUL);
        r.Sync();
        Assert.Equal(new Tnum(0, 0x7ffffffffffffffcUL), r.VarOff);
        Assert.Equal(0x7ffffffffffffffcUL, r.UMax);
        Assert.Equal(0x7ffffffffffffffcL, r.SMax);
        Assert.Equal(0L, r.SMin);
    }

    /// <summary>
    /// __reg64_deduce_bounds, s64 range crossing the sign boundary: u64 [0, 10] meets s64 [-5, 5] only in its
    /// non-negative piece, so both become [0, 5] (hand-derived).
    /// </summary>
    [Fact]
    public void Deduce64SignCrossingRange()
    {
        ScalarBounds r = ScalarBounds.Unknown;
        r.UMin = 0; r.UMax = 10; r.SMin = -5; r.SMax = 5;
        r.Deduce64();
        Assert.Equal((0L, 5L, 0UL, 5UL), (r.SMin, r.SMax, r.UMin, r.UMax));
    }

    /// <summary>__reg_deduce_mixed_bounds: s32 [1, 7] inside an s64 [-2^31, 2^31) range pins the 64-bit value.</summary>
    [Fact]
    public void MixedBoundsAfterSignExtension()
    {
        ScalarBounds r = ScalarBounds.Unknown;
        r.SMin = int.MinValue; r.SMax = int.MaxValue; r.S32Min = 1; r.S32Max = 7;
        r.Sync();
        Assert.Equal((1L, 7L, 1UL, 7UL), (r.SMin, r.SMax, r.UMin, r.UMax));
        Assert.Equal(new Tnum(0, 7), r.VarOff);
    }

    [Theory]
    [InlineData("range", "range bounds violation")]
    [InlineData("const", "const tnum out of sync with range bounds")]
    [InlineData("subreg", "const subreg tnum out of sync with range bounds")]
    [InlineData("ok", null)]
    public void SanityCheckNamesTheKernelViolation(string kind, string? message)
    {
        ScalarBounds r = kind switch
        {
            "range" => ScalarBounds.Unknown with { UMin = 5, UMax = 4 },
            "const" => ScalarBounds.Const(7UL) with { UMax = 8 },
            "subreg" => ScalarBounds.Unknown with { VarOff = new Tnum(3, 0xffffffff00000000UL) },
            _ => ScalarBounds.Const(7UL),
        };
        Assert.Equal(message, r.SanityCheck());
    }

    [Fact]
    public void InvariantsTextUsesKernelHexFormat() =>
        Assert.Equal("u64=[0x7, 0x7] s64=[0x7, 0x7] u32=[0x7, 0x7] s32=[0x7, 0x7] var_off=(0x7, 0)",
            ScalarBounds.Const(7UL).InvariantsText());

    /// <summary>is_safe_to_compute_dst_reg_range: shifts need a constant amount below the bitness; div/mod are untracked.</summary>
    [Theory]
    [InlineData(BPF_LSH, 63, false, true)]
    [InlineData(BPF_LSH, 64, false, false)]
    [InlineData(BPF_RSH, 31, true, true)]
    [InlineData(BPF_ARSH, 32, true, false)]
    [InlineData(BPF_DIV, 3, false, false)]
    [InlineData(BPF_MOD, 3, true, false)]
    [InlineData(BPF_ADD, 3, true, true)]
    public void SafeToComputeRange(byte op, long src, bool alu32, bool safe) =>
        Assert.Equal(safe, ScalarBounds.IsSafeToComputeRange(op, ScalarBounds.Const(src), alu32));

    [Fact]
    public void ShiftByUnknownAmountIsUnknown() =>
        Assert.Equal(ScalarBounds.Unknown, ScalarBounds.Alu(BPF_LSH, R3, ScalarBounds.FromTnum(new Tnum(0, 3)), alu32: false));

    /// <summary>
    /// The jump (true) branch of "r2 = *(u32 *)(r1 +0); if ... goto" in the live 6.18 kernel: the state it printed
    /// for R2 at the jump target (BPF_PROG_LOAD, log_level 1, via KernelBpf.ProgLoad), copied literally.
    /// </summary>
    [Theory]
    [InlineData("if r2 > 0x64", BPF_JGT, false, 100L, "scalar(smin=umin=umin32=101,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))")]
    [InlineData("if w2 s< 0xfffffffb", BPF_JSLT, true, -5L, "scalar(smin=umin=umin32=0x80000000,smax=umax=umax32=0xfffffffa,smax32=-6,var_off=(0x80000000; 0x7fffffff))")]
    [InlineData("if r2 & 0x8", BPF_JSET, false, 8L, "scalar(smin=umin=umin32=8,smax=umax=0xffffffff,smin32=0x80000008,var_off=(0x8; 0xfffffff7))")]
    [InlineData("if r2 != 0x0", BPF_JNE, false, 0L, "scalar(smin=umin=umin32=1,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))")]
    [InlineData("if r2 s>= 0x1000", BPF_JSGE, false, 0x1000L, "scalar(smin=umin=umin32=4096,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))")]
    public void JumpBranchMatchesKernelLog(string insn, byte op, bool jmp32, long imm, string kernelText)
    {
        Assert.Equal(-1, ScalarBounds.IsBranchTaken(R2, ScalarBounds.Const(imm), op, jmp32));
        ScalarBounds t1 = R2, t2 = ScalarBounds.Const(imm), f1 = R2, f2 = t2;
        Assert.Null(ScalarBounds.SetMinMax(ref t1, ref t2, ref f1, ref f2, op, jmp32));
        Assert.True(kernelText == t1.ToString(), $"{insn}: {t1}");
    }

    /// <summary>Branches the bounds decide (hand-derived): R3 = [0, 255] against constants.</summary>
    [Theory]
    [InlineData(BPF_JGT, 255L, false, 0)]
    [InlineData(BPF_JLE, 255L, false, 1)]
    [InlineData(BPF_JEQ, 256L, false, 0)]
    [InlineData(BPF_JNE, 256L, false, 1)]
    [InlineData(BPF_JSLT, 0L, false, 0)]
    [InlineData(BPF_JSET, 0x100L, false, 0)]
    [InlineData(BPF_JGT, 100L, false, -1)]
    [InlineData(BPF_JSGE, -1L, true, 1)]
    public void BranchTakenByBounds(byte op, long imm, bool jmp32, int taken) =>
        Assert.Equal(taken, ScalarBounds.IsBranchTaken(R3, ScalarBounds.Const(imm), op, jmp32));
}
