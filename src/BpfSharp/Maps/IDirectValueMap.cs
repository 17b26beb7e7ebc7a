namespace BpfSharp.Maps;

/// <summary>
/// A map whose value programs may address directly (kernel: map_direct_value_addr), as the
/// loader's <c>lddw rX, map_value[fd] + off</c> (BPF_PSEUDO_MAP_VALUE) does for global data in
/// single-entry arrays.
/// </summary>
public interface IDirectValueMap
{
    /// <summary>
    /// The address of the first byte of the value (the command layer adds <paramref name="offset"/>,
    /// as the kernel's resolve_pseudo_ldimm64 does). 0 on success; -EINVAL if
    /// <paramref name="offset"/> is not inside the value; -ENOTSUPP if the map cannot be addressed
    /// directly (an ARRAY whose max_entries is not 1).
    /// </summary>
    int DirectValueAddress(uint offset, out nint address);
}
