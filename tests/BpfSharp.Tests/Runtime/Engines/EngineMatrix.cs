namespace BpfSharp.Tests.Runtime.Engines;

/// <summary>The engines under test and the theory rows that cross them with case tables.</summary>
public static class EngineMatrix
{
    /// <summary>Every engine the semantics tables run on.</summary>
    public static readonly IEngine[] All = [new InterpreterEngine(), new JitEngine(), new JitEngine("jit-pieces", 2)];

    /// <summary>Mode names used in theory rows.</summary>
    public const string Checked = "checked", Unchecked = "unchecked";

    public static IEngine Get(string name) =>
        Array.Find(All, e => e.Name == name) ?? throw new ArgumentException($"no engine named {name}");

    /// <summary>Rows (engine, mode, case name) for every engine, both modes and every case.</summary>
    public static TheoryData<string, string, string> Rows(IEnumerable<string> caseNames)
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var engine in All)
            foreach (var mode in new[] { Checked, Unchecked })
                foreach (var name in caseNames)
                    rows.Add(engine.Name, mode, name);
        return rows;
    }

    /// <summary>Rows (engine, case name) for checked-mode-only tables.</summary>
    public static TheoryData<string, string> CheckedRows(IEnumerable<string> caseNames)
    {
        var rows = new TheoryData<string, string>();
        foreach (var engine in All)
            foreach (var name in caseNames)
                rows.Add(engine.Name, name);
        return rows;
    }

    /// <summary>Rows (engine) alone.</summary>
    public static TheoryData<string> Engines()
    {
        var rows = new TheoryData<string>();
        foreach (var engine in All)
            rows.Add(engine.Name);
        return rows;
    }

    /// <summary>Rows (engine, checked?) for every engine and both modes.</summary>
    public static TheoryData<string, bool> EnginesAndModes()
    {
        var rows = new TheoryData<string, bool>();
        foreach (var engine in All)
        {
            rows.Add(engine.Name, true);
            rows.Add(engine.Name, false);
        }
        return rows;
    }

    /// <summary>Indexes a case table by name; a duplicate name is a bug in the table.</summary>
    public static Dictionary<string, T> Index<T>(IEnumerable<T> cases, Func<T, string> name)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            if (!index.TryAdd(name(c), c))
                throw new InvalidOperationException($"duplicate test case name: {name(c)}");
        }
        return index;
    }
}
