using BpfSharp.Uapi;
namespace BpfSharp.Verifier;

// kernel: check_reg_arg and the register marking helpers.
public sealed partial class BpfVerifier
{
    private enum RegArg { Src, Dst, DstNoMark }

    private RegState[] Regs => _cur.Regs;

    // kernel: check_reg_arg
    private void CheckRegArg(int regno, RegArg t)
    {
        if ((uint)regno >= FuncState.RegisterCount)
            throw Fail(-Errno.EINVAL, Inv($"R{regno} is invalid"));
        MarkRegScratched(regno);
        ref RegState reg = ref Regs[regno];
        if (t == RegArg.Src)
        {
            if (reg.Type == RegType.NotInit)
                throw Fail(-Errno.EACCES, Inv($"R{regno} !read_ok"));
            return;
        }
        if (regno == FuncState.FramePointer)
            throw Fail(-Errno.EACCES, "frame pointer is read only");
        if (t == RegArg.Dst)
            MarkRegUnknown(ref reg);
    }

    // kernel: mark_reg_unknown: precision tracking is off for unprivileged loads, so every scalar is precise there.
    private void MarkRegUnknown(ref RegState reg) => reg.MarkUnknown(precise: !BpfCapable);

    // kernel: mark_reg_known_zero
    private static void MarkRegKnownZero(ref RegState reg) => reg.MarkKnownZero();

    // kernel: __mark_reg_const_zero
    private void MarkRegConstZero(ref RegState reg) => reg.MarkConstZero(precise: !BpfCapable);

    // kernel: is_pointer_value: a pointer the loader may not see as a number
    private bool IsPointerValue(int regno) => IsPointerValue(Regs[regno]);

    private bool IsPointerValue(in RegState reg) => !_caps.AllowPtrLeaks && reg.Type != RegType.ScalarValue;

    // kernel: mark_reg_invalid: a pointer that died (released reference, packet data changed)
    private void MarkRegInvalid(ref RegState reg)
    {
        if (!_caps.AllowPtrLeaks)
            reg.MarkNotInit();
        else
            MarkRegUnknown(ref reg);
    }

    private delegate void RegAction(ref RegState reg);

    // kernel: bpf_for_each_reg_in_vstate: every register and spilled register of every frame
    private static void ForEachReg(VerifierState state, RegAction action)
    {
        for (int f = 0; f <= state.CurFrame; f++)
        {
            FuncState frame = state.Frame(f);
            for (int i = 0; i < FuncState.RegisterCount; i++)
                action(ref frame.Regs[i]);
            for (int s = 0; s < frame.SlotCount; s++)
            {
                ref StackSlot slot = ref frame.Slot(s);
                if (slot.IsSpill)
                    action(ref slot.SpilledPtr);
            }
        }
    }

    // kernel: copy_register_state
    private static void CopyRegisterState(ref RegState dst, in RegState src) => dst = src;

    // kernel: assign_scalar_id_before_mov: a scalar copied gets an id so that later range checks reach both copies
    private void AssignScalarIdBeforeMov(ref RegState src)
    {
        if (src.Type != RegType.ScalarValue)
            return;
        if ((src.Id & RegState.AddConstFlag) != 0)
        {
            src.Id = 0;
            src.Off = 0;
        }
        if (src.Id == 0 && !src.Bounds.VarOff.IsConst)
            src.Id = ++_idGen;
    }

    // kernel: get_reg_width: the bits the value may occupy
    private static int RegWidth(in RegState reg) => 64 - System.Numerics.BitOperations.LeadingZeroCount(reg.Bounds.UMax);

    private FuncState FrameOf(in RegState ptr) => _cur.Frame(ptr.Frameno);
}
