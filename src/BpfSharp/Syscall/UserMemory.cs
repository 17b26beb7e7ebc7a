using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// Access to caller memory named by the 64-bit addresses in <c>union bpf_attr</c> (the kernel's
/// copy_from_user / copy_to_user). Address 0 is the one bad address that can be detected: it
/// gives -EFAULT; any other address is trusted to be valid for the size the caller gave.
/// </summary>
internal static unsafe class UserMemory
{
    /// <summary>PATH_MAX, the longest string (with its NUL) read from caller memory.</summary>
    public const int PathMax = 4096;

    /// <summary>Copies <paramref name="length"/> bytes from caller memory; -EFAULT for address 0 (unless nothing is copied).</summary>
    public static int CopyFrom(ulong address, void* destination, nuint length)
    {
        if (length == 0) return 0;
        if (address == 0) return -Errno.EFAULT;
        NativeMemory.Copy((void*)address, destination, length);
        return 0;
    }

    /// <summary>Copies <paramref name="length"/> bytes to caller memory; -EFAULT for address 0 (unless nothing is copied).</summary>
    public static int CopyTo(ulong address, void* source, nuint length)
    {
        if (length == 0) return 0;
        if (address == 0) return -Errno.EFAULT;
        NativeMemory.Copy(source, (void*)address, length);
        return 0;
    }

    /// <summary>
    /// Reads a NUL-terminated Latin-1 string of at most <paramref name="max"/> bytes (kernel:
    /// strncpy_from_user); longer strings are cut at <paramref name="max"/> and
    /// <paramref name="truncated"/> is set. -EFAULT for address 0.
    /// </summary>
    public static int ReadString(ulong address, int max, out string value, out bool truncated)
    {
        value = "";
        truncated = false;
        if (address == 0) return -Errno.EFAULT;
        // Byte by byte: the string may end just before unmapped memory, so nothing past its NUL is read.
        byte* p = (byte*)address;
        int end = 0;
        while (end < max && p[end] != 0)
            end++;
        truncated = end == max;
        value = System.Text.Encoding.Latin1.GetString(p, end);
        return 0;
    }

    /// <summary>
    /// A copy of caller memory for as long as a command needs it: on the stack (the caller passes a
    /// stackalloc span) when it fits, else on the native heap.
    /// </summary>
    public ref struct Scratch
    {
        private void* _heap;

        /// <summary>The bytes.</summary>
        public byte* Pointer { get; private set; }

        /// <summary>Uses <paramref name="stack"/> if it holds <paramref name="length"/> bytes, else allocates.</summary>
        public Scratch(scoped Span<byte> stack, nuint length)
        {
            if (length <= (nuint)stack.Length)
            {
                Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(stack));
                _heap = null;
            }
            else
            {
                _heap = NativeMemory.Alloc(length);
                Pointer = (byte*)_heap;
            }
        }

        /// <summary>Frees heap memory, if any was allocated.</summary>
        public void Dispose()
        {
            if (_heap != null)
                NativeMemory.Free(_heap);
            _heap = null;
            Pointer = null;
        }
    }
}
