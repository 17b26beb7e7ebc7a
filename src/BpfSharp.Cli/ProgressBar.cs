namespace BpfSharp.Cli;

/// <summary>A one-line progress bar on standard error, drawn only when it is a terminal and the work is large.</summary>
internal sealed class ProgressBar(Terminal io, long total)
{
    private const long MinimumTotal = 1 << 20; // small inputs finish before a bar would help
    private const int Width = 30;
    private readonly bool _draw = io.ErrorIsConsole && total >= MinimumTotal;
    private int _shown = -1;

    /// <summary>Redraws the bar if <paramref name="done"/> of the total moved it by a percent.</summary>
    public void Update(long done, long items)
    {
        if (!_draw) return;
        int percent = (int)(done * 100 / total);
        if (percent == _shown) return;
        _shown = percent;
        int filled = percent * Width / 100;
        io.Error.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {percent,3}% {items} packets");
    }

    /// <summary>Clears the bar.</summary>
    public void Done()
    {
        if (_draw && _shown >= 0) io.Error.Write($"\r{new string(' ', Width + 40)}\r");
    }
}
