using System.Buffers.Binary;
using BpfSharp.Memory;
using BpfSharp.ProgramTypes;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

// kernel: bpf_prog_test_run_flow_dissector and bpf_flow_dissect.
internal static unsafe partial class TestRun
{
    /// <summary>The largest data_in of a flow dissector run (kernel: bpf_test_init, PAGE_SIZE without head- or tailroom).</summary>
    public const uint MaxFlowDissectorData = 4096;

    private const int EthHeaderLength = 14;
    // struct bpf_flow_keys: nhoff, thoff, n_proto and flags.
    private const int FlowKeysNhoff = 0, FlowKeysThoff = 2, FlowKeysNProto = 10, FlowKeysFlags = 48;

    /// <summary>
    /// The flow dissector test run: no flags, cpu or batch_size (-EINVAL); data_in a frame of 14 to 4096 bytes
    /// (-EINVAL); ctx_in / ctx_out an optional <c>struct bpf_flow_keys</c> of which only flags may be set (-EINVAL).
    /// Each run starts from zeroed keys with n_proto the frame's EtherType, nhoff and thoff 14 and the flags; after it
    /// nhoff is clamped into [14, data size] and thoff into [nhoff, data size]. data_out gets the keys.
    /// </summary>
    private static int RunFlowDissector(LoadedProgram program, ref BpfAttr attr, AttrOut io, int possibleCpus)
    {
        TestRunAttr t = attr.TestRun;
        if (t.Flags != 0 || t.Cpu != 0 || t.BatchSize != 0) return -Errno.EINVAL;
        uint size = t.DataSizeIn;
        if (size < EthHeaderLength || size > MaxFlowDissectorData) return -Errno.EINVAL;
        using var data = new NativeBuffer(size, alignment: 8);
        if (UserMemory.CopyFrom(t.DataIn, (void*)data.Pointer, size) < 0) return -Errno.EFAULT;
        int err = ContextIn(t, FlowDissectorOps.FlowKeysSize, out byte[]? user);
        if (err < 0) return err;
        uint flags = 0;
        if (user is not null)
        {
            // kernel: verify_user_bpf_flow_keys: only flags may be set
            if (user.AsSpan(0, FlowKeysFlags).IndexOfAnyExcept((byte)0) >= 0
                || user.AsSpan(FlowKeysFlags + 4).IndexOfAnyExcept((byte)0) >= 0)
                return -Errno.EINVAL;
            flags = BinaryPrimitives.ReadUInt32LittleEndian(user.AsSpan(FlowKeysFlags));
        }
        using var keys = new NativeBuffer(FlowDissectorOps.FlowKeysSize, alignment: 8);
        // The context: the __sk_buff offsets the verifier let the program read, data and data_end as the 64-bit
        // slots CtxRewrite points their loads to, flow_keys in place.
        using var ctx = new NativeBuffer(SkBuff.ContextSize, alignment: 8);
        Span<byte> c = ctx.Span;
        c.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(c[SkBuff.DataPointerOffset..], (ulong)data.Pointer);
        BinaryPrimitives.WriteUInt64LittleEndian(c[SkBuff.DataEndPointerOffset..], (ulong)data.Pointer + size);
        BinaryPrimitives.WriteUInt64LittleEndian(c[SkBuffLayout.FlowKeys..], (ulong)keys.Pointer);
        var run = new RunContext { R1 = (ulong)ctx.Pointer, PossibleCpus = possibleCpus };
        run.AddRegion(new MemoryRegion(ctx.Pointer, SkBuff.ContextSize, writable: false, "ctx"));
        run.AddRegion(new MemoryRegion(data.Pointer, size, writable: false, "packet"));
        run.AddRegion(new MemoryRegion(keys.Pointer, FlowDissectorOps.FlowKeysSize, writable: true, "flow_keys"));
        ushort nProto = BinaryPrimitives.ReadUInt16LittleEndian(data.Span[12..]); // the EtherType as it lies (__be16)
        err = Repeat(program, run, t.Repeat, out uint retval, out uint duration, _ => StartKeys(keys.Span, nProto, flags));
        if (err < 0) return err;
        ClampOffsets(keys.Span, size);
        err = FinishData(ref attr, io, (uint)FlowDissectorOps.FlowKeysSize, retval, duration, dest => Copy(keys.Span, dest));
        return err == 0 ? FinishContext(ref attr, io, user) : err;
    }

    // kernel: bpf_flow_dissect, before the program
    private static void StartKeys(Span<byte> keys, ushort nProto, uint flags)
    {
        keys.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(keys[FlowKeysNProto..], nProto);
        BinaryPrimitives.WriteUInt16LittleEndian(keys[FlowKeysNhoff..], EthHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(keys[FlowKeysThoff..], EthHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(keys[FlowKeysFlags..], flags);
    }

    // kernel: bpf_flow_dissect, after the program (clamp_t(u16, ...): the bounds taken as u16)
    private static void ClampOffsets(Span<byte> keys, uint size)
    {
        ushort hlen = (ushort)size;
        ushort nhoff = Clamp(BinaryPrimitives.ReadUInt16LittleEndian(keys[FlowKeysNhoff..]), EthHeaderLength, hlen);
        ushort thoff = Clamp(BinaryPrimitives.ReadUInt16LittleEndian(keys[FlowKeysThoff..]), nhoff, hlen);
        BinaryPrimitives.WriteUInt16LittleEndian(keys[FlowKeysNhoff..], nhoff);
        BinaryPrimitives.WriteUInt16LittleEndian(keys[FlowKeysThoff..], thoff);

        static ushort Clamp(ushort v, ushort lo, ushort hi) => v < lo ? lo : v > hi ? hi : v;
    }
}
