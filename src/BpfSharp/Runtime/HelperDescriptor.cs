namespace BpfSharp.Runtime;

/// <summary>One registered helper: its kernel id (<c>enum bpf_func_id</c>), its name and its implementation.</summary>
public sealed class HelperDescriptor
{
    internal HelperDescriptor(int id, string name, BpfHelper implementation, HelperFlags flags)
    {
        Id = id;
        Name = name;
        Implementation = implementation;
        Flags = flags;
    }

    /// <summary>The id programs call it by.</summary>
    public int Id { get; }
    /// <summary>The name it was registered under (for messages and disassembly).</summary>
    public string Name { get; }
    /// <summary>The implementation.</summary>
    public BpfHelper Implementation { get; }
    /// <summary>What engines may assume about it.</summary>
    public HelperFlags Flags { get; }

    /// <summary>Shows <c>name#id</c>, as the kernel verifier log names helpers.</summary>
    public override string ToString() => $"{Name}#{Id}";
}
