using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The BPF_PROG_LOAD view of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
public struct ProgLoadAttr
{
    /// <summary>End of the last field (kernel: BPF_PROG_LOAD_LAST_FIELD core_relo_rec_size).</summary>
    internal const int End = 140;

    /// <summary>prog_type: one of <see cref="Uapi.BpfProgType"/>.</summary>
    [FieldOffset(0)] public uint ProgType;
    /// <summary>insn_cnt: number of 8-byte instruction slots.</summary>
    [FieldOffset(4)] public uint InsnCnt;
    /// <summary>insns: address of the instructions.</summary>
    [FieldOffset(8)] public ulong Insns;
    /// <summary>license: address of a NUL-terminated string.</summary>
    [FieldOffset(16)] public ulong License;
    /// <summary>log_level: verbosity of the verifier log (0 = none).</summary>
    [FieldOffset(24)] public uint LogLevel;
    /// <summary>log_size: size of the log buffer.</summary>
    [FieldOffset(28)] public uint LogSize;
    /// <summary>log_buf: address of the log buffer.</summary>
    [FieldOffset(32)] public ulong LogBuf;
    /// <summary>kern_version (not used).</summary>
    [FieldOffset(40)] public uint KernVersion;
    /// <summary>prog_flags (see <see cref="Uapi.ProgFlags"/>).</summary>
    [FieldOffset(44)] public uint ProgFlags;
    /// <summary>prog_name.</summary>
    [FieldOffset(48)] public BpfObjName ProgName;
    /// <summary>prog_ifindex: a device to bind to; must be 0 (no devices here).</summary>
    [FieldOffset(64)] public uint ProgIfindex;
    /// <summary>expected_attach_type: one of <see cref="Uapi.BpfAttachType"/>.</summary>
    [FieldOffset(68)] public uint ExpectedAttachType;
    /// <summary>prog_btf_fd: BTF describing func_info and line_info.</summary>
    [FieldOffset(72)] public uint ProgBtfFd;
    /// <summary>func_info_rec_size.</summary>
    [FieldOffset(76)] public uint FuncInfoRecSize;
    /// <summary>func_info: address of the bpf_func_info records.</summary>
    [FieldOffset(80)] public ulong FuncInfo;
    /// <summary>func_info_cnt.</summary>
    [FieldOffset(88)] public uint FuncInfoCnt;
    /// <summary>line_info_rec_size.</summary>
    [FieldOffset(92)] public uint LineInfoRecSize;
    /// <summary>line_info: address of the bpf_line_info records.</summary>
    [FieldOffset(96)] public ulong LineInfo;
    /// <summary>line_info_cnt.</summary>
    [FieldOffset(104)] public uint LineInfoCnt;
    /// <summary>attach_btf_id: the BTF type to attach to (tracing, LSM, extension programs).</summary>
    [FieldOffset(108)] public uint AttachBtfId;
    /// <summary>attach_prog_fd: the program to attach to (shares its place with attach_btf_obj_fd).</summary>
    [FieldOffset(112)] public uint AttachProgFd;
    /// <summary>attach_btf_obj_fd: the BTF object attach_btf_id refers to.</summary>
    [FieldOffset(112)] public uint AttachBtfObjFd;
    /// <summary>core_relo_cnt: number of CO-RE relocations for the kernel to apply.</summary>
    [FieldOffset(116)] public uint CoreReloCnt;
    /// <summary>fd_array: address of the u32 fds that BPF_PSEUDO_MAP_IDX instructions index.</summary>
    [FieldOffset(120)] public ulong FdArray;
    /// <summary>core_relos: address of the bpf_core_relo records.</summary>
    [FieldOffset(128)] public ulong CoreRelos;
    /// <summary>core_relo_rec_size.</summary>
    [FieldOffset(136)] public uint CoreReloRecSize;
}
