namespace BpfSharp.Isa;

public static partial class Assembler
{
    /// <summary>Collects placed instructions, labels and label references; resolves and validates at the end.</summary>
    private sealed class ProgramBuilder
    {
        private readonly List<Instruction> _slots = [];
        private readonly List<int> _lineOf = []; // 0 = not filled yet
        private readonly Dictionary<string, int> _labelLines = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
        private readonly List<string> _pendingLabels = [];
        private readonly List<(int Slot, string Label, bool InImm, int Line)> _references = [];
        private int _cursor;
        private int _sectionBase;

        public void DefineLabel(string name, int line)
        {
            if (!_labelLines.TryAdd(name, line))
                throw new LineError($"label '{name}' is already defined on line {_labelLines[name]}");
            _pendingLabels.Add(name);
        }

        /// <summary>An llvm-objdump section: its indexes count from the end of what is there.</summary>
        public void NewSection()
        {
            BindPendingLabels(_slots.Count);
            _sectionBase = _slots.Count;
            _cursor = _sectionBase;
        }

        public void Place(int index, in Parsed parsed, int line)
        {
            int pos = index >= 0 ? _sectionBase + index : _cursor;
            if ((long)pos + parsed.Slots > int.MaxValue / Instruction.Size)
                throw new LineError("instruction index too large");
            while (_slots.Count < pos + parsed.Slots)
            {
                _slots.Add(default);
                _lineOf.Add(0);
            }
            bool fresh = _lineOf[pos] == 0;
            for (int k = 0; k < parsed.Slots; k++)
            {
                Instruction insn = k == 0 ? parsed.First : parsed.Second;
                int slot = pos + k;
                if (_lineOf[slot] != 0)
                {
                    if (_slots[slot] != insn)
                        throw new LineError($"index {slot - _sectionBase} already holds a different instruction, from line {_lineOf[slot]}");
                    continue;
                }
                _slots[slot] = insn;
                _lineOf[slot] = line;
            }
            if (fresh && parsed.Label is not null)
                _references.Add((pos, parsed.Label, parsed.LabelInImm, line));
            BindPendingLabels(pos);
            _cursor = pos + parsed.Slots;
        }

        private void BindPendingLabels(int slot)
        {
            foreach (string name in _pendingLabels)
                _labels[name] = slot;
            _pendingLabels.Clear();
        }

        public Instruction[] Finish(bool validate)
        {
            BindPendingLabels(_slots.Count);
            for (int i = 0; i < _slots.Count; i++)
            {
                if (_lineOf[i] == 0)
                {
                    int next = _lineOf.FindIndex(i, l => l != 0);
                    int line = _lineOf[next];
                    throw new BpfFormatException($"line {line}: no instruction for index {i}: the indexes skip it", i, (long)i * Instruction.Size) { Line = line };
                }
            }
            Instruction[] program = _slots.ToArray();
            foreach (var (slot, label, inImm, line) in _references)
                program[slot] = Resolve(program[slot], slot, label, inImm, line);
            if (validate)
            {
                try
                {
                    InstructionDecoder.Validate(program);
                }
                catch (BpfFormatException e) when (e.InstructionIndex >= 0 && e.InstructionIndex < _lineOf.Count)
                {
                    int line = _lineOf[e.InstructionIndex];
                    throw new BpfFormatException($"line {line}: {e.Message}", e.InstructionIndex, e.Offset, e.Section) { Line = line };
                }
            }
            return program;
        }

        private Instruction Resolve(Instruction insn, int slot, string label, bool inImm, int line)
        {
            if (!_labels.TryGetValue(label, out int target))
                throw new BpfFormatException($"line {line}: undefined label '{label}'", slot, (long)slot * Instruction.Size) { Line = line };
            int displacement = target - slot - 1;
            if (inImm)
                return Insn(insn.Opcode, insn.Dst, insn.Src, insn.Offset, displacement);
            if (displacement is < short.MinValue or > short.MaxValue)
                throw new BpfFormatException(
                    $"line {line}: jump to '{label}' is out of range: offset {displacement} does not fit in 16 bits (gotol takes 32)",
                    slot, (long)slot * Instruction.Size) { Line = line };
            return Insn(insn.Opcode, insn.Dst, insn.Src, (short)displacement, insn.Imm);
        }
    }
}
