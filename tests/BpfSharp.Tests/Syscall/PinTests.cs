using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// OBJ_PIN / OBJ_GET in the system's own namespace: "/sys/fs/bpf" is the bpffs root, "/", "/sys"
/// and "/sys/fs" are directories of another file system; errno as the kernel gives them for the
/// same paths on a machine with bpffs mounted.
/// </summary>
public unsafe class PinTests
{
    [Theory]
    [InlineData("/sys/fs/bpf/map", 0)]
    [InlineData("/sys/fs/bpf//./map", 0)]           // resolved like a file system path
    [InlineData("/sys/fs/bpf/../bpf/map", 0)]
    [InlineData("/sys/fs/bpf", -Errno.EEXIST)]      // the directory itself exists
    [InlineData("/sys/fs/bpf/", -Errno.EEXIST)]
    [InlineData("/sys/fs/bpf/map/", -Errno.ENOENT)] // a trailing slash asks for a directory
    [InlineData("/sys/fs/bpf/dir/map", -Errno.ENOENT)] // no such directory
    [InlineData("/sys/fs/x", -Errno.EPERM)]         // a directory, but not on bpffs
    [InlineData("/x", -Errno.EPERM)]
    [InlineData("/tmp/x", -Errno.ENOENT)]           // this namespace has no /tmp
    [InlineData("", -Errno.ENOENT)]
    public void Pin_paths(string path, int expected)
    {
        using var t = new OurTarget();
        Assert.Equal(expected, t.Pin(t.CreateArray(), path));
    }

    [Fact]
    public void Pinning_an_existing_path_is_EEXIST()
    {
        using var t = new OurTarget();
        Assert.Equal(0, t.Pin(t.CreateArray(), "/sys/fs/bpf/a"));
        Assert.Equal(-Errno.EEXIST, t.Pin(t.CreateHash(), "/sys/fs/bpf/a"));
        Assert.Equal(-Errno.ENOTDIR, t.Pin(t.CreateHash(), "/sys/fs/bpf/a/b"));
        Assert.Equal(-Errno.ENOTDIR, t.Get("/sys/fs/bpf/a/b"));
    }

    [Theory]
    [InlineData("/sys/fs/bpf/missing", -Errno.ENOENT)]
    [InlineData("/sys/fs/bpf", -Errno.EACCES)] // a directory is not an object
    public void Get_paths(string path, int expected)
    {
        using var t = new OurTarget();
        Assert.Equal(expected, t.Get(path));
    }

    [Fact]
    public void A_pin_path_without_nul_in_path_max_is_ENAMETOOLONG()
    {
        using var t = new OurTarget();
        byte[] path = new byte[4096];
        Array.Fill(path, (byte)'a');
        fixed (byte* p = path)
        {
            BpfAttr attr = default;
            attr.Obj.Pathname = (ulong)p;
            attr.Obj.BpfFd = (uint)t.CreateArray();
            Assert.Equal(-Errno.ENAMETOOLONG, t.Bpf(BpfCommand.ObjPin, ref attr));
        }
    }

    [Fact]
    public void Get_opens_the_pinned_map_with_the_asked_access()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        Assert.Equal(0, t.Update(fd, 1, 7));
        Assert.Equal(0, t.Pin(fd, "/sys/fs/bpf/m"));

        int rdonly = t.Get("/sys/fs/bpf/m", ProgFlags.BPF_F_RDONLY);
        Assert.Equal(0, t.Lookup(rdonly, 1, out ulong v));
        Assert.Equal(7ul, v);
        Assert.Equal(-Errno.EPERM, t.Update(rdonly, 1, 8));

        int wronly = t.Get("/sys/fs/bpf/m", ProgFlags.BPF_F_WRONLY);
        Assert.Equal(0, t.Update(wronly, 1, 8));
        Assert.Equal(-Errno.EPERM, t.Lookup(wronly, 1, out _));

        Assert.Equal(-Errno.EINVAL, t.Get("/sys/fs/bpf/m", ProgFlags.BPF_F_RDONLY | ProgFlags.BPF_F_WRONLY));
        Assert.Equal(0, t.Lookup(fd, 1, out v));
        Assert.Equal(8ul, v);
    }

    [Fact]
    public void A_program_opens_whatever_the_flags()
    {
        using var t = new OurTarget();
        int prog = t.Load(Asm.Mov64(R0, 3), Asm.Exit());
        Assert.Equal(0, t.Pin(prog, "/sys/fs/bpf/p"));
        Assert.True(t.Get("/sys/fs/bpf/p", ProgFlags.BPF_F_RDONLY) >= 0);
        Assert.True(t.Get("/sys/fs/bpf/p", ProgFlags.BPF_F_WRONLY) >= 0);
        int again = t.Get("/sys/fs/bpf/p");
        Assert.Equal(0, t.TestRun(again, new byte[14], out TestRunAttr run));
        Assert.Equal(3u, run.Retval);
    }

    [Fact]
    public void Btf_cannot_be_pinned()
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        Assert.True(btf >= 0);
        Assert.Equal(-Errno.EINVAL, t.Pin(btf, "/sys/fs/bpf/btf"));
    }

    [Fact]
    public void Obj_get_with_a_bpf_fd_is_EINVAL()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        t.Pin(fd, "/sys/fs/bpf/m");
        byte[] path = "/sys/fs/bpf/m\0"u8.ToArray();
        fixed (byte* p = path)
        {
            BpfAttr attr = default;
            attr.Obj.Pathname = (ulong)p;
            attr.Obj.BpfFd = (uint)fd;
            Assert.Equal(-Errno.EINVAL, t.Bpf(BpfCommand.ObjGet, ref attr));
        }
    }
}
