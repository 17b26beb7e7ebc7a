using System.Runtime.CompilerServices;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// Writes a command's output fields (retval, count, next_id, ...) both into the working copy of
/// the attr and into the caller's attr at the same offset (kernel: put_user(x, &amp;uattr->field)).
/// </summary>
internal readonly unsafe ref struct AttrOut
{
    private readonly byte* _user;
    private readonly uint _writable;

    /// <summary>Writes go to <paramref name="user"/>, which holds <paramref name="writable"/> bytes.</summary>
    public AttrOut(byte* user, uint writable)
    {
        _user = user;
        _writable = writable;
    }

    /// <summary>
    /// Sets <paramref name="field"/> of <paramref name="attr"/> to <paramref name="value"/> and writes
    /// it to the caller's attr; -EFAULT if the caller's attr does not reach that far.
    /// </summary>
    public int Put<T>(ref BpfAttr attr, ref T field, T value) where T : unmanaged
    {
        field = value;
        nint offset = Unsafe.ByteOffset(ref Unsafe.As<BpfAttr, byte>(ref attr), ref Unsafe.As<T, byte>(ref field));
        if (offset < 0 || (ulong)offset + (ulong)sizeof(T) > _writable) return -Errno.EFAULT;
        Unsafe.WriteUnaligned(_user + offset, value);
        return 0;
    }
}
