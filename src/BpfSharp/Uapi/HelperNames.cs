using System.Collections.Frozen;

namespace BpfSharp.Uapi;

/// <summary>
/// The kernel's helper function names by id (<c>enum bpf_func_id</c>), spelled as the verifier log
/// prints them (<c>bpf_map_lookup_elem</c> for id 1; kernel: <c>func_id_str</c> in kernel/bpf/disasm.c).
/// The table is generated from include/uapi/linux/bpf.h by gen/gen_helper_names.py; the checked-in table
/// came from a Linux 6.2+ header (libbpf's copy), whose list is final at id 211 (the kernel adds kfuncs, not helpers).
/// </summary>
public static partial class HelperNames
{
    /// <summary>The first id past the last helper (kernel: __BPF_FUNC_MAX_ID).</summary>
    public static int MaxId => s_names.Length;

    /// <summary>The name of helper <paramref name="id"/> (<c>bpf_...</c>), or null if the id is not in the table.</summary>
    public static string? Get(int id) => (uint)id < (uint)s_names.Length ? s_names[id] : null;

    /// <summary>Finds a helper id by its full name (<c>bpf_map_lookup_elem</c>).</summary>
    public static bool TryGetId(string name, out int id) => IdsByName.Map.TryGetValue(name, out id);

    // A nested class, so the map is built on first use, after s_names (declared in the generated part).
    private static class IdsByName
    {
        internal static readonly FrozenDictionary<string, int> Map = Build();

        private static FrozenDictionary<string, int> Build()
        {
            var ids = new Dictionary<string, int>(s_names.Length, StringComparer.Ordinal);
            for (int i = 0; i < s_names.Length; i++)
                ids[s_names[i]] = i;
            return ids.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }
}
