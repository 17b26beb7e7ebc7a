using System.Text;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A bpf() command issued by the typed API (<see cref="BpfMap"/>, <see cref="BpfProgram"/>) failed:
/// carries the errno the command returned and says which command it was. The <c>Bpf</c> facade
/// itself never throws; it returns <c>-errno</c>.
/// </summary>
public sealed class BpfException : Exception
{
    /// <summary>Creates the exception for a command that returned <paramref name="errno"/> (either sign).</summary>
    /// <param name="errno">The errno, positive or negative (a bpf() result).</param>
    /// <param name="operation">What failed, for the message: <c>BPF_MAP_UPDATE_ELEM</c>, <c>BPF_PROG_LOAD</c>.</param>
    /// <param name="detail">More text for the message (a verifier log), or null.</param>
    public BpfException(int errno, string operation, string? detail = null)
        : base(Format(Math.Abs(errno), operation, detail))
    {
        Errno = Math.Abs(errno);
        Operation = operation;
        Detail = detail;
    }

    /// <summary>The text that came with the error (a failed load's verifier log), or null.</summary>
    public string? Detail { get; }

    /// <summary>The errno, positive (<see cref="Uapi.Errno.ENOENT"/>, ...).</summary>
    public int Errno { get; }

    /// <summary>The command or operation that failed, as the kernel names it.</summary>
    public string Operation { get; }

    /// <summary>The symbolic name of <see cref="Errno"/> ("ENOENT").</summary>
    public string ErrnoName => Uapi.Errno.Name(Errno);

    /// <summary>The exception for a failed command: the kernel's name of <paramref name="cmd"/> and the errno.</summary>
    internal static BpfException For(BpfCommand cmd, int errno, string? detail = null) =>
        new(errno, CommandName(cmd), detail);

    /// <summary>The kernel's name of a command: <c>MapUpdateElem</c> becomes <c>BPF_MAP_UPDATE_ELEM</c>.</summary>
    internal static string CommandName(BpfCommand cmd)
    {
        string name = cmd.ToString();
        var text = new StringBuilder("BPF", name.Length + 8);
        foreach (char c in name)
        {
            if (char.IsUpper(c)) text.Append('_');
            text.Append(char.ToUpperInvariant(c));
        }
        return text.ToString();
    }

    private static string Format(int errno, string operation, string? detail) =>
        detail is null or ""
            ? $"{operation}: {Uapi.Errno.Name(errno)}"
            : $"{operation}: {Uapi.Errno.Name(errno)}: {detail}";
}
