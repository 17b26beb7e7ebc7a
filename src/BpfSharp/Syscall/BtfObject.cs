using BpfSharp.Memory;

namespace BpfSharp.Syscall;

/// <summary>A loaded BTF blob (BPF_BTF_LOAD): the type information maps and programs refer to by btf_fd.</summary>
public sealed class BtfObject : BpfObject
{
    private readonly byte[] _data;

    internal BtfObject(byte[] data, IBtfTypes types)
    {
        _data = data;
        Types = types;
    }

    /// <summary>The blob as it was loaded.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The parsed types.</summary>
    internal IBtfTypes Types { get; }

    /// <inheritdoc/>
    protected override void Free() { }
}
