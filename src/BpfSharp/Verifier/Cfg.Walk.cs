using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

public static partial class Cfg
{
    // check_cfg(): insn_state values and edge kinds.
    private const int Discovered = 0x10;
    private const int Explored = 0x20;
    private const int FallThrough = 1;
    private const int Branch = 2;
    // visit_insn() results.
    private const int DoneExploring = 0;
    private const int KeepExploring = 1;

    private const int BPF_FUNC_for_each_map_elem = 164;
    private const int BPF_FUNC_timer_set_callback = 170;
    private const int BPF_FUNC_find_vma = 180;
    private const int BPF_FUNC_loop = 181;
    private const int BPF_FUNC_user_ringbuf_drain = 209;

    /// <summary>The depth-first search of check_cfg(), edge order and messages as the kernel's.</summary>
    private ref struct CfgWalk
    {
        public ReadOnlySpan<Instruction> Program;
        public Span<int> State;
        public Span<int> Stack;
        public int Top;
        public Span<CfgInsnFlags> Flags;
        public bool AllowBackEdges;
        public CfgResult? Fault;

        // push_insn(): follow edge e from t to w; a fault leaves a negative result.
        public int Push(int t, int w, int e)
        {
            if (e == FallThrough && State[t] >= (Discovered | FallThrough)) return DoneExploring;
            if (e == Branch && State[t] >= (Discovered | Branch)) return DoneExploring;
            if (w < 0 || w >= Program.Length)
                return Reject($"jump out of range from insn {t} to {w}");
            if (e == Branch)
                Flags[w] |= CfgInsnFlags.PrunePoint | CfgInsnFlags.JmpPoint;
            if (State[w] == 0)
            {
                // Tree edge.
                State[t] = Discovered | e;
                State[w] = Discovered;
                Stack[Top++] = w;
                return KeepExploring;
            }
            if ((State[w] & 0xf0) == Discovered)
            {
                // Back-edge: a loop. bpf_capable loads leave bounding it to the walk.
                if (AllowBackEdges) return DoneExploring;
                return Reject($"back-edge from insn {t} to {w}");
            }
            State[t] = Discovered | e; // forward or cross edge to an explored instruction
            return DoneExploring;
        }

        // visit_func_call_insn(): the return lands after the call (after both slots of an lddw callback address).
        public int VisitCall(int t, bool visitCallee)
        {
            int size = Program[t].IsLdImm64 ? 2 : 1;
            int ret = Push(t, t + size, FallThrough);
            if (ret != DoneExploring) return ret;
            Flags[t + size] |= CfgInsnFlags.PrunePoint | CfgInsnFlags.JmpPoint;
            if (visitCallee)
            {
                Flags[t] |= CfgInsnFlags.PrunePoint;
                ret = Push(t, unchecked(t + Program[t].Imm + 1), Branch);
            }
            return ret;
        }

        // visit_insn(): the successors of instruction t.
        public int Visit(int t)
        {
            ref readonly Instruction insn = ref Program[t];
            if (insn.IsLdImm64 && insn.Src == BPF_PSEUDO_FUNC)
                return VisitCall(t, visitCallee: true);
            byte cls = insn.Class;
            if (cls != BPF_JMP && cls != BPF_JMP32)
                return Push(t, t + (insn.IsLdImm64 ? 2 : 1), FallThrough);
            switch ((byte)(insn.Opcode & 0xf0))
            {
                case BPF_EXIT:
                    return DoneExploring;
                case BPF_CALL:
                    bool helper = insn.Opcode == CALL && insn.Src == 0;
                    if (helper && insn.Imm == BPF_FUNC_timer_set_callback)
                        Flags[t] |= CfgInsnFlags.PrunePoint; // async callback
                    if (helper && insn.Imm is BPF_FUNC_for_each_map_elem or BPF_FUNC_find_vma
                            or BPF_FUNC_loop or BPF_FUNC_user_ringbuf_drain)
                        Flags[t] |= CfgInsnFlags.CallsCallback | CfgInsnFlags.ForceCheckpoint
                            | CfgInsnFlags.PrunePoint | CfgInsnFlags.JmpPoint;
                    return VisitCall(t, insn.Src == BPF_PSEUDO_CALL);
                case BPF_JA:
                {
                    int target = cls == BPF_JMP ? t + insn.Offset + 1 : unchecked(t + insn.Imm + 1);
                    int ret = Push(t, target, FallThrough);
                    if (ret != DoneExploring) return ret;
                    Flags[target] |= CfgInsnFlags.PrunePoint | CfgInsnFlags.JmpPoint;
                    return ret;
                }
                default:
                {
                    // Conditional jump (and may_goto): two edges.
                    Flags[t] |= CfgInsnFlags.PrunePoint;
                    if (insn.Opcode == MAY_GOTO && insn.Src == BPF_MAY_GOTO)
                        Flags[t] |= CfgInsnFlags.ForceCheckpoint;
                    int ret = Push(t, t + 1, FallThrough);
                    if (ret != DoneExploring) return ret;
                    return Push(t, t + insn.Offset + 1, Branch);
                }
            }
        }

        private int Reject(string line)
        {
            Fault = CfgResult.Fail(Errno.EINVAL, line);
            return -Errno.EINVAL;
        }
    }

    private static CfgResult? Walk(ReadOnlySpan<Instruction> program, CfgOptions options, Span<CfgInsnFlags> flags)
    {
        var walk = new CfgWalk
        {
            Program = program,
            State = new int[program.Length],
            Stack = new int[program.Length],
            Flags = flags,
            AllowBackEdges = options.AllowBackEdges,
        };
        walk.State[0] = Discovered;
        walk.Stack[0] = 0;
        walk.Top = 1;
        while (walk.Top > 0)
        {
            int t = walk.Stack[walk.Top - 1];
            int ret = walk.Visit(t);
            if (ret == DoneExploring)
            {
                walk.State[t] = Explored;
                walk.Top--;
            }
            else if (ret < 0)
            {
                return walk.Fault;
            }
        }
        for (int i = 0; i < program.Length; i++)
        {
            if (walk.State[i] != Explored)
                return CfgResult.Fail(Errno.EINVAL, $"unreachable insn {i}");
            if (program[i].IsLdImm64)
            {
                if (walk.State[i + 1] != 0)
                    return CfgResult.Fail(Errno.EINVAL, $"jump into the middle of ldimm64 insn {i}");
                flags[i + 1] |= CfgInsnFlags.LdImm64SecondHalf;
                i++;
            }
        }
        return null;
    }
}
