using System.Globalization;
using System.Text;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

/// <summary>
/// The kernel's text for verifier states (kernel: print_verifier_state and print_reg_state, 6.18): the form the
/// log shows after each instruction (<c>; R0=map_value_or_null(id=1,map=m,ks=4,vs=8) R10=fp0 fp-8=mmmm????</c>),
/// at branch targets (<c>from 7 to 11: R0=0 R10=fp0</c>) and around calls. The 6.18 kernel prints no
/// liveness marks (the <c>_w</c>/<c>_r</c> suffixes of older kernels are gone).
/// </summary>
public static class StatePrinter
{
    /// <summary>The column the kernel lines the state up to after an instruction (kernel: BPF_LOG_ALIGNMENT).</summary>
    public const int LogAlignment = 40;

    /// <summary>The alignment step past that column (kernel: BPF_LOG_MIN_ALIGNMENT).</summary>
    public const int LogMinAlignment = 8;

    /// <summary>
    /// Appends frame <paramref name="frameno"/> of <paramref name="state"/> as the kernel's print_verifier_state
    /// does, each item with a leading space, ending with a newline: <c> frameN:</c> for frames past 0, every
    /// readable register <c> Rn=...</c>, every stack slot with a written byte <c> fp-8=...</c> (a dynptr's two slots as
    /// one, <c> fp-16=dynptr_local(id=1,dynptr_id=1)</c>), the acquired
    /// references <c> refs=1,2</c>, and <c> cb</c>/<c> async_cb</c> for callback frames. Unless
    /// <paramref name="printAll"/>, only registers set in <paramref name="scratchedRegs"/> (bit n for Rn) and
    /// slots set in <paramref name="scratchedStackSlots"/> (bit i for fp-8*(i+1)) are printed
    /// (kernel: reg_scratched, stack_slot_scratched).
    /// </summary>
    public static void AppendVerifierState(StringBuilder sb, VerifierState state, int frameno, bool printAll,
        uint scratchedRegs = uint.MaxValue, ulong scratchedStackSlots = ulong.MaxValue)
    {
        FuncState frame = state.Frame(frameno);
        if (frame.Frameno != 0)
            sb.Append(" frame").Append(frame.Frameno).Append(':');
        for (int i = 0; i < FuncState.RegisterCount; i++)
        {
            ref readonly RegState reg = ref frame.Regs[i];
            if (reg.Type == RegType.NotInit)
                continue;
            if (!printAll && (scratchedRegs & (1u << i)) == 0)
                continue;
            sb.Append(" R").Append(i).Append('=');
            AppendRegState(sb, reg, frame.Frameno);
        }
        for (int i = 0; i < frame.SlotCount; i++)
        {
            if (!printAll && (i >= 64 || (scratchedStackSlots & (1UL << i)) == 0))
                continue;
            ref readonly StackSlot slot = ref frame.Slot(i);
            if (!slot.IsValid)
                continue;
            if (slot.SlotType[StackSlot.Size - 1] == StackSlotType.Dynptr)
            {
                // kernel: the dynptr's main (higher) slot is printed for its pair, as the slot after this one
                if (++i >= frame.SlotCount)
                    break;
                AppendDynptrSlot(sb, frame.Slot(i).SpilledPtr, i);
                continue;
            }
            sb.Append(" fp").Append((-i - 1) * StackSlot.Size).Append('=');
            // the byte kinds, cut at the first spill byte when the slot holds a spilled register
            for (int j = 0; j < StackSlot.Size; j++)
            {
                StackSlotType t = slot.SlotType[j];
                if (slot.IsSpill && t == StackSlotType.Spill)
                    break;
                sb.Append(SlotTypeChar(t));
            }
            if (slot.IsSpill)
                AppendRegState(sb, slot.SpilledPtr, frame.Frameno);
        }
        List<VerifierStateReference> refs = state.References;
        if (refs.Count > 0 && refs[0].Id != 0)
        {
            sb.Append(" refs=").Append(refs[0].Id);
            for (int i = 1; i < refs.Count; i++)
                if (refs[i].Id != 0)
                    sb.Append(',').Append(refs[i].Id);
        }
        if (frame.InCallbackFn)
            sb.Append(" cb");
        if (frame.InAsyncCallbackFn)
            sb.Append(" async_cb");
        sb.Append('\n');
    }

    // kernel: the STACK_DYNPTR case of print_verifier_state: fp-16=dynptr_ringbuf(id=1,ref_id=2,dynptr_id=1)
    private static void AppendDynptrSlot(StringBuilder sb, in RegState reg, int spi)
    {
        sb.Append(" fp").Append((-spi - 1) * StackSlot.Size).Append("=dynptr_").Append(reg.DynptrType.LogName()).Append('(');
        string sep = "";
        if (reg.Id != 0)
            Field(sb, ref sep).Append("id=").Append(reg.Id);
        if (reg.RefObjId != 0)
            Field(sb, ref sep).Append("ref_id=").Append(reg.RefObjId);
        if (reg.DynptrId != 0)
            Field(sb, ref sep).Append("dynptr_id=").Append(reg.DynptrId);
        sb.Append(')');
    }

    /// <summary><see cref="AppendVerifierState"/> as a string, without the closing newline.</summary>
    public static string VerifierStateText(VerifierState state, int frameno, bool printAll,
        uint scratchedRegs = uint.MaxValue, ulong scratchedStackSlots = ulong.MaxValue)
    {
        var sb = new StringBuilder();
        AppendVerifierState(sb, state, frameno, printAll, scratchedRegs, scratchedStackSlots);
        sb.Length--;
        return sb.ToString();
    }

    /// <summary>
    /// Appends one register's value as the kernel's print_reg_state does, seen from frame
    /// <paramref name="frameno"/> (a stack pointer into another frame prints as <c>fp[N]-8</c>): a scalar
    /// constant as its number; a stack pointer with constant offset as <c>fp-8</c>; anything else as the
    /// type name and, in parentheses, id (with <c>+off</c> for an add-const id), ref_obj_id, non_own_ref,
    /// map name/ks/vs, off, r (packet range), sz (memory size), then imm for a non-zero constant variable
    /// offset or the scalar ranges and var_off. A precise scalar is prefixed with <c>P</c>.
    /// PTR_TO_BTF_ID prints its BTF type's name after the type (<c>trusted_ptr_task_struct(...)</c>);
    /// CONST_PTR_TO_DYNPTR prints its dynptr type (<c>type=local</c>).
    /// </summary>
    public static void AppendRegState(StringBuilder sb, in RegState reg, int frameno)
    {
        RegType t = reg.Type;
        Tnum varOff = reg.Bounds.VarOff;
        if (t == RegType.ScalarValue && reg.Precise)
            sb.Append('P');
        if (t == RegType.ScalarValue && varOff.IsConst)
        {
            sb.Append(SNum(varOff.Value));
            return;
        }
        sb.Append(t.LogName());
        if (t == RegType.PtrToArena)
            return;
        if (t == RegType.PtrToStack)
        {
            if (reg.Frameno != frameno)
                sb.Append('[').Append(reg.Frameno).Append(']');
            if (varOff.IsConst)
            {
                sb.Append(SNum(varOff.Value + (ulong)(long)reg.Off));
                return;
            }
        }
        if (t.BaseType() == RegType.PtrToBtfId && reg.Btf is { } btf && reg.BtfId < (uint)btf.TypeCount)
            sb.Append(btf.NameOf(reg.BtfId));
        sb.Append('(');
        string sep = "";
        if (reg.Id != 0)
            Field(sb, ref sep).Append("id=").Append(reg.Id & ~RegState.AddConstFlag);
        if ((reg.Id & RegState.AddConstFlag) != 0)
            sb.Append(reg.Off.ToString("+0;-0", CultureInfo.InvariantCulture));
        if (reg.RefObjId != 0)
            Field(sb, ref sep).Append("ref_obj_id=").Append(reg.RefObjId);
        if (t.IsNonOwningRef())
            Field(sb, ref sep).Append("non_own_ref");
        if (t.IsMapPtr() && reg.MapPtr is { } map)
        {
            if (map.Name.Length > 0)
                Field(sb, ref sep).Append("map=").Append(map.Name);
            Field(sb, ref sep).Append("ks=").Append(map.KeySize).Append(",vs=").Append(map.ValueSize);
        }
        if (t != RegType.ScalarValue && reg.Off != 0)
            Field(sb, ref sep).Append("off=").Append(SNum((ulong)(long)reg.Off));
        if (t.IsPktPointer())
            Field(sb, ref sep).Append("r=").Append(UNum((ulong)(long)reg.Range));
        if (t.BaseType() == RegType.PtrToMem)
            Field(sb, ref sep).Append("sz=").Append(UNum(reg.MemSize));
        if (t == RegType.ConstPtrToDynptr)
            Field(sb, ref sep).Append("type=").Append(reg.DynptrType.LogName());
        if (varOff.IsConst)
        {
            if (varOff.Value != 0)
                Field(sb, ref sep).Append("imm=").Append(SNum(varOff.Value));
        }
        else
        {
            reg.Bounds.AppendRanges(sb, ref sep);
            if (!varOff.IsUnknown)
                Field(sb, ref sep).Append("var_off=").Append(varOff.ToString());
        }
        sb.Append(')');
    }

    /// <summary><see cref="AppendRegState"/> as a string.</summary>
    public static string RegText(in RegState reg, int frameno)
    {
        var sb = new StringBuilder();
        AppendRegState(sb, reg, frameno);
        return sb.ToString();
    }

    /// <summary>The log character of a stack byte kind (kernel: slot_type_char).</summary>
    public static char SlotTypeChar(StackSlotType type) => type switch
    {
        StackSlotType.Invalid => '?',
        StackSlotType.Spill => 'r',
        StackSlotType.Misc => 'm',
        StackSlotType.Zero => '0',
        StackSlotType.Dynptr => 'd',
        _ => '?',
    };

    /// <summary>
    /// The padding the kernel writes (as <c>"%*c;"</c>) between an instruction's text of
    /// <paramref name="lineLength"/> characters (<c>10: (85) call bpf_map_lookup_elem#1</c>, without the newline)
    /// and the <c>;</c> before its state (kernel: vlog_alignment of the printed length, newline included):
    /// the <c>;</c> lands on column 38, or further right on the next multiple of 8 minus 2 for long lines.
    /// </summary>
    public static int InsnStateAlignment(int lineLength)
    {
        int pos = lineLength + 1;
        int column = Math.Max(pos + LogMinAlignment / 2, LogAlignment);
        column = (column + LogMinAlignment - 1) / LogMinAlignment * LogMinAlignment;
        return column - pos - 1;
    }

    // verbose_a: a comma before every field but the first
    private static StringBuilder Field(StringBuilder sb, ref string sep)
    {
        sb.Append(sep);
        sep = ",";
        return sb;
    }

    // kernel: verbose_snum / verbose_unum ("%lld"/"%llu" for small values, else "%#llx")
    private static string SNum(ulong v)
    {
        long s = (long)v;
        return s >= short.MinValue && s <= short.MaxValue ? s.ToString(CultureInfo.InvariantCulture) : Hex(v);
    }

    private static string UNum(ulong v) => v <= ushort.MaxValue ? v.ToString(CultureInfo.InvariantCulture) : Hex(v);

    private static string Hex(ulong v) => v == 0 ? "0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
