using BpfSharp.Uapi;
using static BpfSharp.Tests.Verifier.Corpus.CaseCaps;
using static BpfSharp.Tests.Verifier.Corpus.CaseVerdict;
using static BpfSharp.Uapi.BpfProgType;

namespace BpfSharp.Tests.Verifier.Corpus;

// Program and subprogram exit (kernel: check_return_code and the exit handling of do_check): r0 must be
// readable, may not leak a pointer without CAP_PERFMON, and must lie in the type's return range
// (cgroup skb: [0, 1], [0, 3] when attached to egress).
internal static partial class VerifierCorpus
{
    private static VerifierCase[] Exit() =>
    [
        new("exit/scalar", SocketFilter, Root, """
            r0 = 7
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/ctx_pointer_root", SocketFilter, Root, """
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/stack_pointer_bpfonly", SocketFilter, BpfOnly, """
            r0 = r10
            exit
            """, NoMaps, Kernel: Reject(13, "R0 leaks addr as return value")),
        new("exit/ctx_pointer_unpriv", SocketFilter, Unprivileged, """
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(13, "R0 leaks addr as return value")),
        new("exit/map_value_pointer_bpfonly", SocketFilter, BpfOnly, $"""
            {Lookup}
            if r0 == 0x0 goto out
            exit
            out:
            r0 = 0
            exit
            """, HashMap, Kernel: Reject(13, "R0 leaks addr as return value")),
        new("exit/cgskb_return_0", CgroupSkb, Root, """
            r0 = 0
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/cgskb_return_1", CgroupSkb, Root, """
            r0 = 1
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/cgskb_return_2", CgroupSkb, Root, """
            r0 = 2
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]")),
        new("exit/cgskb_return_negative", CgroupSkb, Root, """
            r0 = -1
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=-1 smax=-1 should have been in [0, 1]")),
        new("exit/cgskb_egress_return_3", CgroupSkb, Root, """
            r0 = 3
            exit
            """, NoMaps, Kernel: Accept, ExpectedAttachType: (uint)BpfAttachType.CgroupInetEgress),
        new("exit/cgskb_egress_return_4", CgroupSkb, Root, """
            r0 = 4
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=4 smax=4 should have been in [0, 3]"), ExpectedAttachType: (uint)BpfAttachType.CgroupInetEgress),
        new("exit/cgskb_return_unknown", CgroupSkb, Root, """
            r0 = *(u32 *)(r1 +0)
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, 1]")),
        new("exit/cgskb_return_masked", CgroupSkb, Root, """
            r0 = *(u32 *)(r1 +0)
            r0 &= 1
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/cgskb_return_pointer", CgroupSkb, Root, """
            r0 = r1
            exit
            """, NoMaps, Kernel: Reject(22, "At program exit the register R0 is not a known value (ctx)")),
        new("exit/xdp_return_100", Xdp, Root, """
            r0 = 100
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/kprobe_return_any", Kprobe, Root, """
            r0 = 12345
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/return_w0", SocketFilter, Root, """
            w0 = -1
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/subprog_r0_uninit", SocketFilter, Root, """
            call sub
            exit
            sub:
            exit
            """, NoMaps, Kernel: Reject(13, "R0 !read_ok")),
        new("exit/subprog_returns_scalar", SocketFilter, Root, """
            call sub
            exit
            sub:
            r0 = 3
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/subprog_returns_ctx_root", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            r0 = r1
            exit
            """, NoMaps, Kernel: Accept),
        new("exit/subprog_returns_stack_pointer", SocketFilter, Root, """
            call sub
            r0 = 0
            exit
            sub:
            r0 = r10
            exit
            """, NoMaps, Kernel: Reject(22, "cannot return stack pointer to the caller")),
    ];
}
