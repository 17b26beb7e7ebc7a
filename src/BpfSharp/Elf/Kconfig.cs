using System.IO.Compression;
using System.Runtime.InteropServices;

namespace BpfSharp.Elf;

/// <summary>
/// The values libbpf gives <c>extern ... __kconfig</c> variables (libbpf's bpf_object__resolve_externs):
/// LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER, and CONFIG_* options from the running
/// kernel's configuration (<c>/proc/config.gz</c>, else <c>/boot/config-RELEASE</c>): <c>y</c> is 1, <c>m</c> 2,
/// <c>n</c> or absent 0, numbers as numbers, quoted strings as bytes. Read once per process.
/// </summary>
public static class Kconfig
{
    private static readonly Lazy<Dictionary<string, string>> s_config = new(ReadConfig);

    /// <summary>The value of <paramref name="name"/> as <paramref name="size"/> bytes, or null when it is unknown.</summary>
    public static byte[]? Value(string name, int size)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name)
        {
            case "LINUX_KERNEL_VERSION": return Integer(KernelVersion(), size);
            case "LINUX_HAS_BPF_COOKIE": return Integer(1, size); // bpf_get_attach_cookie exists
            case "LINUX_HAS_SYSCALL_WRAPPER":
                return Integer(RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64 or Architecture.S390x ? 1 : 0, size);
        }
        if (!name.StartsWith("CONFIG_", StringComparison.Ordinal) || !s_config.Value.TryGetValue(name, out string? text))
            return null;
        return text switch
        {
            "y" => Integer(1, size),
            "m" => Integer(2, size),
            "n" => Integer(0, size),
            _ when text.Length >= 2 && text[0] == '"' && text[^1] == '"' => Text(text[1..^1], size),
            _ when long.TryParse(text, out long n) => Integer(n, size),
            _ when text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, null, out long h) => Integer(h, size),
            _ => null,
        };
    }

    // KERNEL_VERSION(a, b, c) of the running kernel's release, the patch level capped at 255 as libbpf caps it.
    private static long KernelVersion()
    {
        string[] parts = Release().Split('.', '-');
        int At(int i) => i < parts.Length && int.TryParse(parts[i], out int v) ? v : 0;
        return (At(0) << 16) + (At(1) << 8) + Math.Min(At(2), 255);
    }

    // The running kernel's release ("6.18.44-..."), "" where it cannot be read.
    private static string Release()
    {
        try
        {
            return File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static byte[] Integer(long value, int size)
    {
        var bytes = new byte[size];
        BitConverter.GetBytes(value).AsSpan(0, Math.Min(size, 8)).CopyTo(bytes);
        return bytes;
    }

    private static byte[] Text(string s, int size)
    {
        var bytes = new byte[size];
        byte[] text = System.Text.Encoding.ASCII.GetBytes(s);
        text.AsSpan(0, Math.Min(text.Length, Math.Max(size - 1, 0))).CopyTo(bytes);
        return bytes;
    }

    private static Dictionary<string, string> ReadConfig()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            string release = Release();
            using Stream? raw = File.Exists("/proc/config.gz") ? new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress)
                : File.Exists($"/boot/config-{release}") ? File.OpenRead($"/boot/config-{release}") : null;
            if (raw is null) return options;
            using var reader = new StreamReader(raw);
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                int eq = line.IndexOf('=');
                if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && eq > 0)
                    options[line[..eq]] = line[(eq + 1)..];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
        }
        return options;
    }
}
