using BpfSharp.Memory;

namespace BpfSharp.Syscall;

/// <summary>
/// What fds 0-2 (the standard streams) stand for where a map value names an fd: an open file that is
/// neither a map nor a program, so fd-valued maps answer -EINVAL for it as the kernel does for stdin
/// (not -EBADF). One per system; the system holds its first reference for ever.
/// </summary>
internal sealed class StandardStream : BpfObject
{
    /// <inheritdoc/>
    protected override void Free()
    {
    }
}
