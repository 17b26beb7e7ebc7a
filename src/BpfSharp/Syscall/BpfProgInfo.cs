using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>
/// <c>struct bpf_prog_info</c>: what BPF_OBJ_GET_INFO_BY_FD reports about a program. Some fields
/// are inputs too: the sizes and addresses of the arrays to fill (map ids, instructions, tags).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 232)]
public struct BpfProgInfo
{
    /// <summary>type: the program type.</summary>
    [FieldOffset(0)] public uint Type;
    /// <summary>id.</summary>
    [FieldOffset(4)] public uint Id;
    /// <summary>tag: the first 8 bytes of the SHA-256 of the instructions (map fds zeroed).</summary>
    [FieldOffset(8)] public ProgTag Tag;
    /// <summary>jited_prog_len (no native image here: 0).</summary>
    [FieldOffset(16)] public uint JitedProgLen;
    /// <summary>xlated_prog_len: in, the size of the buffer at xlated_prog_insns; out, the size of the program as it runs.</summary>
    [FieldOffset(20)] public uint XlatedProgLen;
    /// <summary>jited_prog_insns.</summary>
    [FieldOffset(24)] public ulong JitedProgInsns;
    /// <summary>xlated_prog_insns: address that receives the program as it runs (map addresses shown as map ids).</summary>
    [FieldOffset(32)] public ulong XlatedProgInsns;
    /// <summary>load_time: when the program was loaded, in ns of the monotonic clock.</summary>
    [FieldOffset(40)] public ulong LoadTime;
    /// <summary>created_by_uid.</summary>
    [FieldOffset(48)] public uint CreatedByUid;
    /// <summary>nr_map_ids: in, the size of the array at map_ids; out, the number of maps the program uses.</summary>
    [FieldOffset(52)] public uint NrMapIds;
    /// <summary>map_ids: address of a u32 array that receives the ids of the maps the program uses.</summary>
    [FieldOffset(56)] public ulong MapIds;
    /// <summary>name.</summary>
    [FieldOffset(64)] public BpfObjName Name;
    /// <summary>ifindex.</summary>
    [FieldOffset(80)] public uint Ifindex;
    /// <summary>gpl_compatible in bit 0.</summary>
    [FieldOffset(84)] public uint GplCompatible;
    /// <summary>netns_dev.</summary>
    [FieldOffset(88)] public ulong NetnsDev;
    /// <summary>netns_ino.</summary>
    [FieldOffset(96)] public ulong NetnsIno;
    /// <summary>nr_jited_ksyms.</summary>
    [FieldOffset(104)] public uint NrJitedKsyms;
    /// <summary>nr_jited_func_lens.</summary>
    [FieldOffset(108)] public uint NrJitedFuncLens;
    /// <summary>jited_ksyms.</summary>
    [FieldOffset(112)] public ulong JitedKsyms;
    /// <summary>jited_func_lens.</summary>
    [FieldOffset(120)] public ulong JitedFuncLens;
    /// <summary>btf_id: the program's BTF object (prog_btf_fd), or 0.</summary>
    [FieldOffset(128)] public uint BtfId;
    /// <summary>func_info_rec_size.</summary>
    [FieldOffset(132)] public uint FuncInfoRecSize;
    /// <summary>func_info.</summary>
    [FieldOffset(136)] public ulong FuncInfo;
    /// <summary>nr_func_info.</summary>
    [FieldOffset(144)] public uint NrFuncInfo;
    /// <summary>nr_line_info.</summary>
    [FieldOffset(148)] public uint NrLineInfo;
    /// <summary>line_info.</summary>
    [FieldOffset(152)] public ulong LineInfo;
    /// <summary>jited_line_info.</summary>
    [FieldOffset(160)] public ulong JitedLineInfo;
    /// <summary>nr_jited_line_info.</summary>
    [FieldOffset(168)] public uint NrJitedLineInfo;
    /// <summary>line_info_rec_size.</summary>
    [FieldOffset(172)] public uint LineInfoRecSize;
    /// <summary>jited_line_info_rec_size.</summary>
    [FieldOffset(176)] public uint JitedLineInfoRecSize;
    /// <summary>nr_prog_tags: in, the size of the array at prog_tags; out, the number of tags (one per function).</summary>
    [FieldOffset(180)] public uint NrProgTags;
    /// <summary>prog_tags: address of an array of 8-byte tags.</summary>
    [FieldOffset(184)] public ulong ProgTags;
    /// <summary>run_time_ns (statistics are not collected: 0).</summary>
    [FieldOffset(192)] public ulong RunTimeNs;
    /// <summary>run_cnt (statistics are not collected: 0).</summary>
    [FieldOffset(200)] public ulong RunCnt;
    /// <summary>recursion_misses.</summary>
    [FieldOffset(208)] public ulong RecursionMisses;
    /// <summary>verified_insns: instructions the verifier processed.</summary>
    [FieldOffset(216)] public uint VerifiedInsns;
    /// <summary>attach_btf_obj_id.</summary>
    [FieldOffset(220)] public uint AttachBtfObjId;
    /// <summary>attach_btf_id.</summary>
    [FieldOffset(224)] public uint AttachBtfId;
}
