using BpfSharp.Isa;
using BpfSharp.Syscall;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// Stands in for the BTF parser (another branch) in these tests: a blob starting with the BTF magic
/// 0xeb9f parses to a fixed set of types, anything else fails with "Invalid magic". The types:
/// [1] int (4 bytes), [2] struct bpf_spin_lock (4), [3] struct val { int a; struct bpf_spin_lock l; } (8),
/// [4] struct bpf_timer (16), [5] struct tv { int a; int pad; struct bpf_timer t; } (24),
/// [6] struct two { int a; struct bpf_spin_lock l, l2; } (12), [7] u64 (8).
/// </summary>
internal sealed class FakeBtf : IBtfTypes
{
    public const uint Int = 1, SpinLock = 2, ValWithLock = 3, Timer = 4, ValWithTimer = 5, TwoLocks = 6, U64 = 7;

    /// <summary>A blob the fake parser accepts.</summary>
    public static readonly byte[] Blob = [0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static IBtfTypes? Parse(ReadOnlySpan<byte> blob, out int errno, out string? error)
    {
        bool ok = blob.Length >= 2 && blob[0] == 0x9f && blob[1] == 0xeb;
        errno = ok ? 0 : BpfSharp.Uapi.Errno.EINVAL;
        error = ok ? null : "Invalid magic";
        return ok ? new FakeBtf() : null;
    }

    public uint? SizeOf(uint typeId) => typeId switch
    {
        Int => 4, SpinLock => 4, ValWithLock => 8, Timer => 16, ValWithTimer => 24, TwoLocks => 12, U64 => 8,
        _ => null,
    };

    public int FindStructMember(uint typeId, string structName) => (typeId, structName) switch
    {
        (ValWithLock, "bpf_spin_lock") => 4,
        (ValWithTimer, "bpf_timer") => 8,
        (TwoLocks, "bpf_spin_lock") => -2,
        _ => -1,
    };
}
