namespace BpfSharp.Elf.Btf;

/// <summary>
/// A BTF blob the kernel would reject: the errno BPF_BTF_LOAD returns and the verifier-log line that
/// explains it. Internal: <see cref="BtfBlob.Parse"/> turns it into a <see cref="Isa.BpfFormatException"/>.
/// </summary>
internal sealed class BtfError(int errno, string message, long offset) : Exception(message)
{
    /// <summary>The positive errno (EINVAL, E2BIG, EEXIST, ELOOP, ENOTSUPP).</summary>
    public int Errno { get; } = errno;

    /// <summary>Byte offset in the blob of the faulty header field or type record.</summary>
    public long Offset { get; } = offset;
}
