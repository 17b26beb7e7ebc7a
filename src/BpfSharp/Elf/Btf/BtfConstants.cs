namespace BpfSharp.Elf.Btf;

/// <summary>The numbers of linux/btf.h and the limits kernel/bpf/btf.c enforces.</summary>
public static class BtfConstants
{
    /// <summary>BTF_MAGIC: the first u16 of every blob (little endian).</summary>
    public const ushort Magic = 0xeB9F;
    /// <summary>BTF_VERSION: the only version the kernel accepts.</summary>
    public const byte Version = 1;
    /// <summary>sizeof(struct btf_header).</summary>
    public const int HeaderSize = 24;
    /// <summary>sizeof(struct btf_type).</summary>
    public const int TypeSize = 12;
    /// <summary>BTF_MAX_TYPE: the largest type id a reference may hold.</summary>
    public const uint MaxType = 0x000fffff;
    /// <summary>BTF_MAX_NAME_OFFSET: the largest string offset a name may hold.</summary>
    public const uint MaxNameOffset = 0x00ffffff;
    /// <summary>BTF_MAX_VLEN: the largest member/param/value count (the 16-bit vlen field).</summary>
    public const int MaxVlen = 0xffff;
    /// <summary>BTF_MAX_SIZE: the largest blob BPF_BTF_LOAD accepts (16 MiB); larger is E2BIG.</summary>
    public const int MaxSize = 16 * 1024 * 1024;
    /// <summary>MAX_RESOLVE_DEPTH: how deep type references may nest before E2BIG.</summary>
    public const int MaxResolveDepth = 32;
    /// <summary>KSYM_NAME_LEN: the longest identifier the kernel accepts in a name.</summary>
    public const int MaxNameLength = 512;

    /// <summary>BTF_INT_SIGNED: INT encoding bit for a signed integer.</summary>
    public const byte IntSigned = 1 << 0;
    /// <summary>BTF_INT_CHAR: INT encoding bit for a character.</summary>
    public const byte IntChar = 1 << 1;
    /// <summary>BTF_INT_BOOL: INT encoding bit for a boolean.</summary>
    public const byte IntBool = 1 << 2;

    /// <summary>BTF_FUNC_STATIC: FUNC linkage (the vlen field) of a static function.</summary>
    public const int FuncStatic = 0;
    /// <summary>BTF_FUNC_GLOBAL: FUNC linkage of a global function.</summary>
    public const int FuncGlobal = 1;
    /// <summary>BTF_FUNC_EXTERN: FUNC linkage of an extern function (the kernel rejects it).</summary>
    public const int FuncExtern = 2;

    /// <summary>BTF_VAR_STATIC: VAR linkage of a static variable.</summary>
    public const uint VarStatic = 0;
    /// <summary>BTF_VAR_GLOBAL_ALLOCATED: VAR linkage of a global variable with storage.</summary>
    public const uint VarGlobalAllocated = 1;
    /// <summary>BTF_VAR_GLOBAL_EXTERN: VAR linkage of an extern variable (the kernel rejects it).</summary>
    public const uint VarGlobalExtern = 2;
}
