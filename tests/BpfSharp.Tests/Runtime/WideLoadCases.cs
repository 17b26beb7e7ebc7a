using BpfSharp.Isa;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.MemoryCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>lddw (RFC 9669 5.4): dst = next_imm &lt;&lt; 32 | (u32)imm, for every source kind.</summary>
public static class WideLoadCases
{
    public static readonly MemoryCase[] All =
    [
        Of("lddw", "", 0x1234_5678_9ABC_DEF0, null, LdImm64(R0, 0x1234_5678_9ABC_DEF0), Exit()),
        Of("lddw low half zero", "", 0xFFFF_FFFF_0000_0000, null, LdImm64(R0, unchecked((long)0xFFFF_FFFF_0000_0000)), Exit()),
        Of("lddw low half INT32_MIN does not sign-extend", "", 0x8000_0000, null, LdImm64(R0, 0x8000_0000), Exit()),
        Of("lddw -1", "", 0xFFFF_FFFF_FFFF_FFFF, null, LdImm64(R0, -1), Exit()),
        At(1, "lddw overwrites a full register", "", 7, null, LdImm64(R0, -1), LdImm64(R0, 7), Exit()),
        // Pseudo kinds: the interpreter runs the 64-bit value of the two halves (a loader replaces them first).
        Of("lddw map fd runs the raw value", "", 7, null, LdMapFd(R0, 7), Exit()),
        Of("lddw map value runs the raw value", "", 0x0000_0010_0000_0003, null, LdMapValue(R0, 3, 16), Exit()),
        Of("lddw btf id runs the raw value", "", 99, null, LdBtfId(R0, 99), Exit()),
        Of("lddw map idx runs the raw value", "", 2, null, LdMapIdx(R0, 2), Exit()),
        Of("lddw map idx value runs the raw value", "", 0x0000_0008_0000_0002, null, LdMapIdxValue(R0, 2, 8), Exit()),
        // Slots: lddw 0-1, exit 2, f: exit 3; the displacement (2) is relative to the slot after the first half,
        // and the interpreter loads the subprogram pointer of slot 3 (SubprogramPointer: tag | index).
        Of("lddw func loads the subprogram pointer of its target", "", 0x0BF0_CA11_0000_0003, null, LdFunc(R0, "f"), Exit(), Label("f"), Exit()),
    ];
}
