using System.Runtime.CompilerServices;

namespace BpfSharp.Syscall;

/// <summary>
/// <c>char name[BPF_OBJ_NAME_LEN]</c>: the 16-byte, NUL-terminated name of a map or program in
/// <c>union bpf_attr</c> and in the info structs.
/// </summary>
[InlineArray(Length)]
public struct BpfObjName
{
    /// <summary>BPF_OBJ_NAME_LEN.</summary>
    public const int Length = 16;

    private byte _element0;

    /// <summary>A name holding <paramref name="name"/> (Latin-1, at most 15 characters), NUL-padded. Not validated.</summary>
    /// <exception cref="ArgumentException">The name does not fit with its terminating NUL.</exception>
    public static BpfObjName From(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length >= Length)
            throw new ArgumentException($"an object name has at most {Length - 1} characters", nameof(name));
        BpfObjName result = default;
        for (int i = 0; i < name.Length; i++)
            result[i] = (byte)name[i];
        return result;
    }

    /// <summary>The characters before the first NUL (all 16 if there is none).</summary>
    public override readonly string ToString()
    {
        ReadOnlySpan<byte> bytes = this;
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.Latin1.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>
    /// Reads the name as the kernel's bpf_obj_name_cpy does: every character before the NUL is a
    /// letter or digit (the kernel's ctype: ASCII and the Latin-1 letters), '_' or '.', and the NUL
    /// comes within the 16 bytes. Returns 0 or -EINVAL.
    /// </summary>
    internal readonly int Validate(out string name)
    {
        name = "";
        ReadOnlySpan<byte> bytes = this;
        int end = bytes.IndexOf((byte)0);
        if (end < 0) return -Uapi.Errno.EINVAL;
        for (int i = 0; i < end; i++)
        {
            if (!IsNameChar(bytes[i])) return -Uapi.Errno.EINVAL;
        }
        name = System.Text.Encoding.Latin1.GetString(bytes[..end]);
        return 0;
    }

    // Kernel ctype: isalnum() is true for ASCII letters and digits and for Latin-1 0xc0-0xff except × and ÷.
    private static bool IsNameChar(byte c) =>
        c is (byte)'_' or (byte)'.' || char.IsAsciiLetterOrDigit((char)c) || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}
