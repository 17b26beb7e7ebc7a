using BpfSharp.Runtime.Helpers;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// The helper prototype table against the kernel's struct bpf_func_proto definitions (kernel/bpf/helpers.c,
/// bpf_iter.c, core.c, ringbuf.c, kernel/trace/bpf_trace.c, net/core/filter.c).
/// </summary>
public class HelperPrototypeTests
{
    public static readonly TheoryData<int, string, string, bool> Kernel = new()
    {
        { 1, "RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL", "ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY", false },
        { 2, "RET_INTEGER", "ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING", false },
        { 6, "RET_INTEGER", "ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE", true },
        { 9, "RET_INTEGER", "ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING", false },
        { 12, "RET_VOID", "ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING", false },
        { 16, "RET_INTEGER", "ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE, ARG_CONST_SIZE", false },
        { 25, "RET_INTEGER", "ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO", true },
        { 88, "RET_INTEGER", "ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE", false },
        { 93, "RET_VOID", "ARG_PTR_TO_SPIN_LOCK", false },
        { 105, "RET_INTEGER", "ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_MEM | MEM_UNINIT | MEM_FIXED_SIZE | MEM_WRITE | MEM_ALIGNED [8]", false },
        { 113, "RET_INTEGER", "ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING", true },
        { 131, "RET_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RINGBUF", "ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE_OR_ZERO, ARG_ANYTHING", false },
        { 132, "RET_VOID", "ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, ARG_ANYTHING", false },
        { 164, "RET_INTEGER", "ARG_CONST_MAP_PTR, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, ARG_ANYTHING", false },
        { 165, "RET_INTEGER", "ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_WRITE, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_CONST_STR, ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY, ARG_CONST_SIZE_OR_ZERO", true },
        { 181, "RET_INTEGER", "ARG_ANYTHING, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, ARG_ANYTHING", false },
        { 182, "RET_INTEGER", "ARG_PTR_TO_MEM | MEM_RDONLY, ARG_CONST_SIZE, ARG_PTR_TO_CONST_STR", false },
        { 195, "RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL", "ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING", false },
    };

    [Theory]
    [MemberData(nameof(Kernel))]
    public void Prototypes_match_the_kernel(int id, string returns, string args, bool gplOnly)
    {
        HelperPrototype proto = HelperPrototypes.Get(id)!;
        Assert.Equal(returns, proto.Return.ToString());
        Assert.Equal(args, string.Join(", ", proto.Args[..proto.ArgCount].ToArray().Select(a => a.ToString())));
        Assert.Equal(gplOnly, proto.GplOnly);
    }

    [Fact]
    public void The_named_kernel_combinations_are_what_the_kernel_defines()
    {
        Assert.Equal(new HelperArgType(BpfArgBase.PtrToMem, BpfTypeFlag.MEM_UNINIT | BpfTypeFlag.MEM_WRITE), HelperArgType.ARG_PTR_TO_UNINIT_MEM);
        Assert.Equal(HelperArgType.ARG_PTR_TO_MAP_VALUE | BpfTypeFlag.PTR_MAYBE_NULL, HelperArgType.ARG_PTR_TO_MAP_VALUE_OR_NULL);
        Assert.Equal(HelperReturnType.RET_PTR_TO_MEM | BpfTypeFlag.PTR_MAYBE_NULL | BpfTypeFlag.MEM_RINGBUF, HelperReturnType.RET_PTR_TO_RINGBUF_MEM_OR_NULL);
        Assert.Equal(HelperReturnType.RET_PTR_TO_MAP_VALUE_OR_NULL, HelperPrototypes.Get(1)!.Return);
    }

    [Fact]
    public void Packet_access_and_sleepable_flags()
    {
        Assert.True(HelperPrototypes.Get(1)!.PacketAccess);
        Assert.True(HelperPrototypes.Get(28)!.PacketAccess); // csum_diff
        Assert.False(HelperPrototypes.Get(88)!.PacketAccess); // pop: no pkt_access
        Assert.True(HelperPrototypes.Get(148)!.MightSleep);   // copy_from_user
        Assert.False(HelperPrototypes.Get(1)!.MightSleep);
    }

    [Fact]
    public void Every_prototype_is_named_like_the_kernel_helper_id()
    {
        Assert.True(HelperPrototypes.Count > 100);
        foreach (HelperPrototype proto in HelperPrototypes.All)
        {
            Assert.Equal(HelperNames.Get(proto.Id), proto.Name);
            Assert.InRange(proto.ArgCount, 0, 5);
            for (int k = proto.ArgCount; k < 5; k++)
                Assert.True(proto.Arg(k).IsUnused);
        }
    }

    [Fact]
    public void Every_standard_helper_has_a_prototype_under_its_name()
    {
        var registry = StandardHelpers.Create(new HelperEnvironment());
        Assert.True(registry.Count >= 35);
        foreach (var helper in registry.Helpers)
        {
            Assert.True(HelperPrototypes.TryGet(helper.Id, out HelperPrototype? proto), helper.ToString());
            Assert.Equal(proto.Name, helper.Name);
        }
    }

    [Fact]
    public void Unknown_ids_have_no_prototype()
    {
        Assert.Null(HelperPrototypes.Get(0));
        Assert.Null(HelperPrototypes.Get(5000));
    }
}
