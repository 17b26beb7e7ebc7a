namespace BpfSharp.Verifier;

/// <summary>
/// One func_info record of PROG_LOAD (kernel: struct bpf_func_info), checked as check_btf_func_early checks it: the
/// BTF function (a FUNC whose type is a FUNC_PROTO in <see cref="VerifierOptions.Btf"/>) of the subprogram starting
/// at <see cref="Instruction"/>. Its linkage makes the subprogram static or global; its name is the one the log uses.
/// </summary>
/// <param name="Instruction">The subprogram's first instruction (kernel: insn_off).</param>
/// <param name="TypeId">The id of its BTF FUNC (kernel: type_id).</param>
public readonly record struct VerifierFuncInfo(int Instruction, uint TypeId);
