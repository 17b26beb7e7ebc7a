using System.Buffers.Binary;
using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_nf and verify_and_copy_hook_state.
internal static unsafe partial class TestRun
{
    // The kernel's struct nf_hook_state on x86-64 (ctx_in): hook (u8), pf (u8), then the in, out, sk, net and okfn
    // pointers at 8 .. 47.
    private const int NfHookStateSize = 48;
    private const int NfHookStatePointers = 8;
    private const byte NfProtoIpv4 = 2, NfProtoIpv6 = 10, NfInetLocalOut = 3;
    private const int Ipv4HeaderLength = 20, Ipv6HeaderLength = 40;

    /// <summary>
    /// The netfilter test run: no flags, cpu or batch_size (-EINVAL); data_in of 20 to
    /// <see cref="SkBuffTestRun.MaxDataSize"/> bytes (-EINVAL); ctx_in an optional <c>struct nf_hook_state</c> whose
    /// pointers are all NULL and whose pf is NFPROTO_IPV4 or NFPROTO_IPV6 (-EINVAL; the default is IPv4 at
    /// NF_INET_LOCAL_OUT). At another hook data_in is a frame of 34 bytes at least (-EINVAL) whose EtherType matches pf
    /// (-EINVAL; an IPv6 frame needs its whole header) and is IPv4 or IPv6 (-EPROTO). The program gets the hook state and the skb as pointers it may only pass on (BpfSharp has
    /// no BTF of the kernel's structures to read them by); only retval and duration are reported.
    /// </summary>
    private static int RunNetfilter(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.Flags != 0 || t.Cpu != 0 || t.BatchSize != 0) return -Errno.EINVAL;
        uint size = t.DataSizeIn;
        if (size < Ipv4HeaderLength || size > SkBuffTestRun.MaxDataSize) return -Errno.EINVAL;
        var data = new byte[size];
        fixed (byte* p = data)
        {
            if (UserMemory.CopyFrom(t.DataIn, p, size) < 0) return -Errno.EFAULT;
        }
        int err = ContextIn(t, NfHookStateSize, out byte[]? user);
        if (err < 0) return err;
        byte pf = NfProtoIpv4, hook = NfInetLocalOut;
        if (user is not null)
        {
            if (user.AsSpan(NfHookStatePointers).IndexOfAnyExcept((byte)0) >= 0) return -Errno.EINVAL;
            if (user[1] is not (NfProtoIpv4 or NfProtoIpv6)) return -Errno.EINVAL;
            (hook, pf) = (user[0], user[1]);
        }
        // At NF_INET_LOCAL_OUT the packet starts at its network header and its protocol is pf's; at the other hooks
        // it is a frame received on loopback, whose EtherType must be pf's.
        if (hook != NfInetLocalOut)
        {
            if (size < EthTypeTrans.HeaderLength + Ipv4HeaderLength) return -Errno.EINVAL;
            ushort protocol = BinaryPrimitives.ReverseEndianness((ushort)EthTypeTrans.Classify(data).Protocol);
            switch (protocol)
            {
                case 0x0800 when pf == NfProtoIpv4: // ETH_P_IP
                    break;
                case 0x86dd when size >= EthTypeTrans.HeaderLength + Ipv6HeaderLength && pf == NfProtoIpv6: // ETH_P_IPV6
                    break;
                case 0x0800 or 0x86dd:
                    return -Errno.EINVAL;
                default:
                    return -Errno.EPROTO;
            }
        }
        using SkBuff skb = new(data);
        using var state = new NativeBuffer(NfHookStateSize, alignment: 8);
        state.Span[0] = hook;
        state.Span[1] = pf;
        using var ctx = new NativeBuffer(16, alignment: 8);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx.Span, (ulong)state.Pointer);
        BinaryPrimitives.WriteUInt64LittleEndian(ctx.Span[8..], (ulong)skb.Context);
        var run = new RunContext { R1 = (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        run.AddRegion(new MemoryRegion(ctx.Pointer, 16, writable: false, "ctx"));
        err = Repeat(program, run, t.Repeat, out uint retval, out uint duration);
        if (err < 0) return err;
        return FinishData(ref attr, io, 0, retval, duration, _ => 0);
    }
}
