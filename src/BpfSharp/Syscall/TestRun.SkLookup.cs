using System.Buffers.Binary;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_sk_lookup.
internal static unsafe partial class TestRun
{
    // struct bpf_sk_lookup (72 bytes): sk (the cookie in ctx_out), family, protocol, remote_ip4, remote_ip6,
    // remote_port (__be16), local_ip4, local_ip6, local_port.
    private const int SkLookupSize = 72;
    private const int SkLookupFamily = 8, SkLookupProtocol = 12, SkLookupRemoteIp4 = 16, SkLookupRemoteIp6 = 20,
        SkLookupRemotePort = 36, SkLookupLocalIp4 = 40, SkLookupLocalIp6 = 44, SkLookupLocalPort = 60;
    private const ushort AfInet = 2, AfInet6 = 10;

    /// <summary>
    /// The sk_lookup test run: no data, flags, cpu or batch_size (-EINVAL); ctx_in a <c>struct bpf_sk_lookup</c>
    /// (required: -EINVAL) without sk and with nothing set past local_port (-EINVAL), local_port at most 65535
    /// (-ERANGE), family AF_INET or AF_INET6 (-EAFNOSUPPORT). The program sees the lookup as the kernel builds it
    /// (family, protocol and the ports as 16-bit values, the addresses of the family only) and no socket selected;
    /// retval is SK_PASS or SK_DROP; ctx_out gets ctx_in back with the cookie of the selected socket, 0 (BpfSharp has
    /// no sockets to select).
    /// </summary>
    private static int RunSkLookup(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.Flags != 0 || t.Cpu != 0 || t.BatchSize != 0) return -Errno.EINVAL;
        if (t.DataIn != 0 || t.DataSizeIn != 0 || t.DataOut != 0 || t.DataSizeOut != 0) return -Errno.EINVAL;
        int err = ContextIn(t, SkLookupSize, out byte[]? user);
        if (err < 0) return err;
        if (user is null) return -Errno.EINVAL;
        if (BinaryPrimitives.ReadUInt64LittleEndian(user) != 0) return -Errno.EINVAL;
        if (user.AsSpan(SkLookupLocalPort + 4).IndexOfAnyExcept((byte)0) >= 0) return -Errno.EINVAL;
        uint localPort = BinaryPrimitives.ReadUInt32LittleEndian(user.AsSpan(SkLookupLocalPort));
        if (localPort > ushort.MaxValue) return -Errno.ERANGE;
        ushort family = (ushort)BinaryPrimitives.ReadUInt32LittleEndian(user.AsSpan(SkLookupFamily));
        if (family is not (AfInet or AfInet6)) return -Errno.EAFNOSUPPORT;

        using var ctx = new NativeBuffer(SkLookupSize, alignment: 8);
        Span<byte> c = ctx.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(c[SkLookupFamily..], family);
        BinaryPrimitives.WriteUInt32LittleEndian(c[SkLookupProtocol..], (ushort)BinaryPrimitives.ReadUInt32LittleEndian(user.AsSpan(SkLookupProtocol)));
        user.AsSpan(SkLookupRemotePort, 2).CopyTo(c[SkLookupRemotePort..]);
        BinaryPrimitives.WriteUInt32LittleEndian(c[SkLookupLocalPort..], localPort);
        if (family == AfInet)
        {
            user.AsSpan(SkLookupRemoteIp4, 4).CopyTo(c[SkLookupRemoteIp4..]);
            user.AsSpan(SkLookupLocalIp4, 4).CopyTo(c[SkLookupLocalIp4..]);
        }
        else
        {
            user.AsSpan(SkLookupRemoteIp6, 16).CopyTo(c[SkLookupRemoteIp6..]);
            user.AsSpan(SkLookupLocalIp6, 16).CopyTo(c[SkLookupLocalIp6..]);
        }
        var run = new RunContext { R1 = (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        run.AddRegion(new MemoryRegion(ctx.Pointer, SkLookupSize, writable: false, "ctx"));
        err = Repeat(program, run, t.Repeat, out uint retval, out uint duration);
        if (err < 0) return err;
        // BPF_PROG_SK_LOOKUP_RUN_ARRAY: SK_PASS unless the program dropped without selecting a socket
        retval = retval == 0 ? 0u : 1u;
        err = FinishData(ref attr, io, 0, retval, duration, _ => 0);
        return err == 0 ? FinishContext(ref attr, io, user) : err;
    }
}
