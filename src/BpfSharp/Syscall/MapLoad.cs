using BpfSharp.Maps;

namespace BpfSharp.Syscall;

/// <summary>
/// One lddw the loader resolved to a map: at instruction <paramref name="Index"/>, the map itself
/// (<paramref name="Kind"/> BPF_PSEUDO_MAP_FD) or its value at <paramref name="Offset"/>
/// (BPF_PSEUDO_MAP_VALUE). Kept to show the program as user space wrote it (xlated dumps).
/// </summary>
internal readonly record struct MapLoad(int Index, Map Map, byte Kind, uint Offset);
