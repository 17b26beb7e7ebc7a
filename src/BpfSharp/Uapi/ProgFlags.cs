namespace BpfSharp.Uapi;

/// <summary>
/// Flags of BPF_PROG_LOAD (prog_flags), BPF_PROG_TEST_RUN (test.flags) and of opening objects
/// (file_flags, open_flags), with the kernel's values (include/uapi/linux/bpf.h).
/// </summary>
public static class ProgFlags
{
    // prog_flags of BPF_PROG_LOAD.
    /// <summary>Verify as if the CPU required strictly aligned accesses.</summary>
    public const uint BPF_F_STRICT_ALIGNMENT = 1u << 0;
    /// <summary>Skip the verifier's alignment checks.</summary>
    public const uint BPF_F_ANY_ALIGNMENT = 1u << 1;
    /// <summary>Testing: randomize the upper 32 bits the verifier treats as undefined after 32-bit operations.</summary>
    public const uint BPF_F_TEST_RND_HI32 = 1u << 2;
    /// <summary>Testing: checkpoint verifier states as often as possible.</summary>
    public const uint BPF_F_TEST_STATE_FREQ = 1u << 3;
    /// <summary>The program may sleep (fentry/fexit, LSM, uprobe, struct_ops; required for BPF_PROG_TYPE_SYSCALL).</summary>
    public const uint BPF_F_SLEEPABLE = 1u << 4;
    /// <summary>The XDP program understands multi-buffer (fragmented) packets.</summary>
    public const uint BPF_F_XDP_HAS_FRAGS = 1u << 5;
    /// <summary>The XDP program is bound to the device of prog_ifindex only.</summary>
    public const uint BPF_F_XDP_DEV_BOUND_ONLY = 1u << 6;
    /// <summary>Testing: check the verifier's register bounds invariants.</summary>
    public const uint BPF_F_TEST_REG_INVARIANTS = 1u << 7;

    /// <summary>Every prog_flags bit BPF_PROG_LOAD accepts (BPF_F_TOKEN_FD aside: BPF tokens do not exist here).</summary>
    public const uint ProgLoadMask = BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_RND_HI32 |
        BPF_F_TEST_STATE_FREQ | BPF_F_SLEEPABLE | BPF_F_XDP_HAS_FRAGS | BPF_F_XDP_DEV_BOUND_ONLY | BPF_F_TEST_REG_INVARIANTS;

    // test.flags of BPF_PROG_TEST_RUN.
    /// <summary>Run the test on test.cpu.</summary>
    public const uint BPF_F_TEST_RUN_ON_CPU = 1u << 0;
    /// <summary>XDP: run in live-frames mode.</summary>
    public const uint BPF_F_TEST_XDP_LIVE_FRAMES = 1u << 1;

    // file_flags / open_flags of BPF_OBJ_GET and the *_GET_FD_BY_ID commands (same bits as the map flags).
    /// <summary>Open the object read-only.</summary>
    public const uint BPF_F_RDONLY = MapFlags.BPF_F_RDONLY;
    /// <summary>Open the object write-only.</summary>
    public const uint BPF_F_WRONLY = MapFlags.BPF_F_WRONLY;
    /// <summary>BPF_OBJ_FLAG_MASK: the flags an object may be opened with.</summary>
    public const uint ObjFlagMask = BPF_F_RDONLY | BPF_F_WRONLY;
}
