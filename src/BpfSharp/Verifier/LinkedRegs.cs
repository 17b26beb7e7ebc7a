namespace BpfSharp.Verifier;

/// <summary>
/// The registers and spilled scalars that share a scalar id when a conditional jump refines one of them (kernel:
/// struct linked_regs): a range learned on one is copied to all, and backtracking that needs one needs all. At most
/// <see cref="Max"/> are kept; the rest lose their id. Packed into 64 bits for the jump history (kernel:
/// linked_regs_pack): 4 bits of count, then 10 bits an entry (3 frame, 6 register or slot, 1 is-register).
/// </summary>
internal struct LinkedRegs
{
    /// <summary>The most entries one set holds (kernel: LINKED_REGS_MAX).</summary>
    public const int Max = 6;

    private const int FramenoBits = 3;
    private const int SpiBits = 6;
    private const int EntryBits = SpiBits + FramenoBits + 1;
    private const int SizeBits = 4;

    /// <summary>One member: a register of a frame, or a stack slot of a frame.</summary>
    public readonly record struct Entry(int Frameno, int RegnoOrSpi, bool IsReg);

    private Entry _e0, _e1, _e2, _e3, _e4, _e5;

    /// <summary>The number of members.</summary>
    public int Count { get; private set; }

    /// <summary>Member <paramref name="i"/>.</summary>
    public readonly Entry this[int i] => i switch
    {
        0 => _e0, 1 => _e1, 2 => _e2, 3 => _e3, 4 => _e4, 5 => _e5,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    /// <summary>Adds a member; false when the set is full (kernel: linked_regs_push).</summary>
    public bool TryPush(Entry e)
    {
        switch (Count)
        {
            case 0: _e0 = e; break;
            case 1: _e1 = e; break;
            case 2: _e2 = e; break;
            case 3: _e3 = e; break;
            case 4: _e4 = e; break;
            case 5: _e5 = e; break;
            default: return false;
        }
        Count++;
        return true;
    }

    /// <summary>The set in the jump history's form (kernel: linked_regs_pack).</summary>
    public readonly ulong Pack()
    {
        ulong val = 0;
        for (int i = 0; i < Count; i++)
        {
            Entry e = this[i];
            ulong tmp = (uint)e.Frameno | ((ulong)(uint)e.RegnoOrSpi << FramenoBits) | ((e.IsReg ? 1UL : 0UL) << (SpiBits + FramenoBits));
            val = (val << EntryBits) | tmp;
        }
        return (val << SizeBits) | (uint)Count;
    }

    /// <summary>The set a jump-history entry holds (kernel: linked_regs_unpack).</summary>
    public static LinkedRegs Unpack(ulong val)
    {
        var s = new LinkedRegs();
        int count = (int)(val & ((1UL << SizeBits) - 1));
        val >>= SizeBits;
        for (int i = 0; i < count; i++)
        {
            s.TryPush(new Entry(
                (int)(val & ((1UL << FramenoBits) - 1)),
                (int)((val >> FramenoBits) & ((1UL << SpiBits) - 1)),
                ((val >> (SpiBits + FramenoBits)) & 1) != 0));
            val >>= EntryBits;
        }
        return s;
    }
}
