using BpfSharp.Memory;
using BpfSharp.Uapi;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The local dynptr helpers (kernel/bpf/helpers.c): bpf_dynptr_from_mem, bpf_dynptr_read, bpf_dynptr_write and
/// bpf_dynptr_data over the <see cref="DynptrKern"/> layout. Lengths and offsets are the helpers' u32 arguments (the
/// registers' low halves). The verifier proves the struct is an initialized dynptr; checked mode checks every byte
/// the helpers touch instead.
/// </summary>
public static unsafe class DynptrHelpers
{
    /// <summary>Registers the four helpers under their kernel ids (197, 201-203).</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_dynptr_from_mem, Name(BPF_FUNC_dynptr_from_mem), DynptrFromMem)
            .Register(BPF_FUNC_dynptr_read, Name(BPF_FUNC_dynptr_read), DynptrRead)
            .Register(BPF_FUNC_dynptr_write, Name(BPF_FUNC_dynptr_write), DynptrWrite)
            .Register(BPF_FUNC_dynptr_data, Name(BPF_FUNC_dynptr_data), DynptrData);
    }

    /// <summary>
    /// long bpf_dynptr_from_mem(data, size, flags, ptr): a local dynptr over <c>size</c> bytes at <c>data</c>; 0, or
    /// -E2BIG (size past 16 MiB - 1) or -EINVAL (flags), the dynptr then null.
    /// </summary>
    public static ulong DynptrFromMem(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        byte* ptr = (byte*)r4;
        uint size = (uint)r2;
        run.CheckAccess(r4, DynptrKern.Size, AccessKind.Store);
        int err = DynptrKern.CheckSize(size);
        if (err == 0 && r3 != 0)
            err = -Uapi.Errno.EINVAL;
        if (err != 0)
        {
            DynptrKern.SetNull(ptr);
            return Errno(err);
        }
        run.CheckAccess(r1, size, AccessKind.Store);
        DynptrKern.Init(ptr, (byte*)r1, BpfDynptrType.Local, 0, size);
        return 0;
    }

    /// <summary>
    /// long bpf_dynptr_read(dst, len, src, offset, flags): copies <c>len</c> bytes at <c>offset</c> of the dynptr to
    /// <c>dst</c>; 0, -EINVAL (null dynptr, flags) or -E2BIG (past its end), <c>dst</c> then untouched.
    /// </summary>
    public static ulong DynptrRead(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        byte* src = (byte*)r3;
        uint len = (uint)r2, offset = (uint)r4;
        run.CheckAccess(r3, DynptrKern.Size, AccessKind.Load);
        byte* data = DynptrKern.Data(src);
        if (data == null || r5 != 0)
            return Errno(-Uapi.Errno.EINVAL);
        int err = DynptrKern.CheckOffLen(src, offset, len);
        if (err != 0)
            return Errno(err);
        if (DynptrKern.Type(src) is not (BpfDynptrType.Local or BpfDynptrType.Ringbuf))
            return Errno(-Uapi.Errno.EFAULT);
        byte* from = data + DynptrKern.Offset(src) + offset;
        run.CheckAccess((ulong)from, len, AccessKind.Load);
        run.CheckAccess(r1, len, AccessKind.Store);
        Buffer.MemoryCopy(from, (void*)r1, len, len); // memmove: the two may overlap
        return 0;
    }

    /// <summary>
    /// long bpf_dynptr_write(dst, offset, src, len, flags): copies <c>len</c> bytes from <c>src</c> to <c>offset</c>
    /// of the dynptr; 0, -EINVAL (null or read-only dynptr, flags) or -E2BIG (past its end).
    /// </summary>
    public static ulong DynptrWrite(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        byte* dst = (byte*)r1;
        uint offset = (uint)r2, len = (uint)r4;
        run.CheckAccess(r1, DynptrKern.Size, AccessKind.Load);
        byte* data = DynptrKern.Data(dst);
        if (data == null || DynptrKern.IsRdonly(dst))
            return Errno(-Uapi.Errno.EINVAL);
        int err = DynptrKern.CheckOffLen(dst, offset, len);
        if (err != 0)
            return Errno(err);
        if (DynptrKern.Type(dst) is not (BpfDynptrType.Local or BpfDynptrType.Ringbuf))
            return Errno(-Uapi.Errno.EFAULT);
        if (r5 != 0)
            return Errno(-Uapi.Errno.EINVAL);
        byte* to = data + DynptrKern.Offset(dst) + offset;
        run.CheckAccess(r3, len, AccessKind.Load);
        run.CheckAccess((ulong)to, len, AccessKind.Store);
        Buffer.MemoryCopy((void*)r3, to, len, len);
        return 0;
    }

    /// <summary>
    /// void *bpf_dynptr_data(ptr, offset, len): the address of <c>len</c> bytes at <c>offset</c> of the dynptr, or NULL
    /// (null or read-only dynptr, past its end).
    /// </summary>
    public static ulong DynptrData(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        byte* ptr = (byte*)r1;
        uint offset = (uint)r2, len = (uint)r3;
        run.CheckAccess(r1, DynptrKern.Size, AccessKind.Load);
        byte* data = DynptrKern.Data(ptr);
        if (data == null || DynptrKern.CheckOffLen(ptr, offset, len) != 0 || DynptrKern.IsRdonly(ptr))
            return 0;
        if (DynptrKern.Type(ptr) is not (BpfDynptrType.Local or BpfDynptrType.Ringbuf))
            return 0;
        byte* slice = data + DynptrKern.Offset(ptr) + offset;
        run.CheckAccess((ulong)slice, len, AccessKind.Store);
        return (ulong)slice;
    }
}
