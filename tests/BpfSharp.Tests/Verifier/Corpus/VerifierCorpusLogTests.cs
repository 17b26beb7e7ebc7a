using System.Text;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// Whole log_level 2 logs: for the corpus cases in <see cref="Cases"/> (accepted and rejected ones), our log equals
/// the running kernel's line by line, compared as <see cref="KernelVerifierLog.ComparableLines"/> makes them
/// comparable: precision tracking's lines and marks included; only the lines of the kernel's stack liveness
/// analysis (<c>(0) frame 0 insn 5 +live -8</c>, <c>... live stack update done ...</c>), which we do not print, are
/// left out.
/// Skipped where bpf() is unavailable. With BPFSHARP_LOG_SURVEY set to a file name,
/// <see cref="Survey_every_case"/> writes, for every corpus case, whether the logs agree and where they part.
/// </summary>
public class VerifierCorpusLogTests
{
    /// <summary>The cases compared; every one must agree.</summary>
    internal static readonly string[] Cases =
    [
        "bounds/and_mask_byte", "bounds/and_mask_u64_past_end", "bounds/xor_masked", "bounds/or_unknown",
        "bounds/and_negative_imm", "bounds/sub_makes_negative", "bounds/sub_after_lower_check",
        "bounds/add_wraps_u64", "bounds/mul_by_8", "bounds/mul_two_bounded_past_end", "bounds/lsh_const",
        "bounds/rsh_const", "bounds/arsh_const_unknown", "bounds/lsh_by_bounded_reg", "bounds/lsh32_arsh32_of_masked",
        "bounds/neg_twice", "bounds/div_not_tracked", "bounds/jgt_upper", "bounds/jgt_upper_off_by_one",
        "bounds/jlt_taken_side", "bounds/jsgt_only_upper", "bounds/jsgt_and_jslt",
        "bounds/unsigned_check_of_signed_range", "bounds/signed_negative_window", "bounds/jgt_reg_bounded",
        "bounds/jeq_const", "bounds/jne_edge_narrows", "bounds/jset_no_high_bits", "bounds/jset_single_bit_taken",
        "bounds/dead_after_mask_jgt", "bounds/dead_jeq_outside_tnum", "bounds/dead_signed_unsigned_cross",
        "bounds/linked_copy_checked", "bounds/linked_add_const_both_bounds", "bounds/linked_sub_const_checked",
        "bounds/linked_through_spill", "bounds/const_1_shl_29", "bounds/smin_beyond_minus_1_shl_29",
        "bounds/map_value_minus_masked", "bounds/two_offsets_added", "bounds/variable_store",
        "bounds/variable_plus_fixed_offset_past_end", "bounds/stack_var_read", "bounds/stack_var_read_past_fp",
        "bounds/stack_var_write_then_fixed_read", "bounds/stack_var_misaligned", "bounds/stack_var_helper_arg",
        "subreg/and32_mask_u64", "subreg/sub32_wraps", "subreg/lsh32_drops_high_bits", "subreg/arsh32_const",
        "subreg/mul32_overflows", "subreg/mov32_truncates_constant", "subreg/jmp32_upper_unknown",
        "subreg/jmp32_after_u32_load", "subreg/jmp32_signed_both", "subreg/jmp32_jeq_upper_unknown",
        "subreg/jmp32_jset", "subreg/jmp32_pointer_null_check", "subreg/linked_add32_checked",
        "subreg/linked_add32_wraps", "subreg/dead_jmp32_low_half_zero", "subreg/live_jmp64_low_half_zero",
        "subreg/movsx8_of_masked", "subreg/movsx8_of_unknown", "subreg/movsx32_8_of_unknown",
        "subreg/ldsx8_both_checks", "subreg/ldsx16_unsigned_check", "subreg/ldsx8_from_stack_spill",
        "subreg/be16_of_masked", "subreg/le64_of_masked", "subreg/be32_then_rsh", "packet/jgt_fallthrough",
        "packet/jgt_fallthrough_past_range", "packet/end_jlt_fallthrough", "packet/jge_fallthrough_right_open",
        "packet/jle_taken", "packet/end_jge_taken", "packet/jlt_wrong_side", "packet/jeq_proves_nothing",
        "packet/jmp32_jgt_root", "packet/data_itself_jge", "packet/range_spreads_to_copy",
        "packet/second_check_widens", "packet/decreasing_order_reads", "packet/var_add_after_check_loses_range",
        "packet/write_past_range", "packet/read_through_pointer_beyond_end", "packet/dead_jle_beyond_end",
        "packet/dead_jlt_at_end", "packet/ipv4_var_ihl_udp", "packet/ipv4_var_ihl_read_past",
        "packet/ipv4_var_ihl_u16_length", "packet/ipv4_var_ihl_tcp_doff", "packet/eth_ipv6_tcp",
        "packet/eth_vlan_ipv4", "packet/xdp_ipv4_var_ihl_udp", "packet/sub_var_from_pointer", "packet/add_unbounded",
        "packet/fixed_offset_reaches_1_shl_29", "packet/max_packet_off_check", "packet/beyond_max_packet_off_check",
        "packet/sign_extended_length", "packet/meta_checked_against_data", "packet/meta_against_end",
        "packet/strict_var_ihl_u32", "packet/strict_var_ihl_u64", "packet/strict_tcp_doff_u32",
        "packet/strict_meta_u32", "packet/strict_u32_at_12", "doc/packet_checked_header",
        "doc/packet_variable_offset", "doc/packet_read_past_checked_range", "doc/packet_variable_offset_too_wide",
        "doc/packet_complex_as_written", "doc/packet_complex_len_scalar", "doc/packet_complex_12_bit_scalar",
        "doc/packet_complex_read_past_range", "doc/packet_c_udp_parser",
        "bounds/masked_index_bpfonly", "bounds/index_past_end_bpfonly", "bounds/signed_checked_index_bpfonly",
        "bounds/speculative_dead_branch_bpfonly", "bounds/speculative_stack_index_bpfonly", "bounds/paths_same_limits_bpfonly",
        "bounds/paths_different_limits_bpfonly", "bounds/paths_pointer_and_scalar_bpfonly", "bounds/paths_two_maps_bpfonly",
        "subreg/u32_index_bpfonly", "subreg/movsx8_index_bpfonly", "packet/jgt_bpfonly", "packet/fixed_parse_bpfonly",
        "packet/var_ihl_bpfonly", "bounds/masked_index_unpriv", "bounds/mixed_signed_index_unpriv", "bounds/unsigned_checked_index_unpriv",
        "bounds/fork_and_zero_or_minus_one", "bounds/fork_and_zero_or_minus_one_past_end", "bounds/fork_or_zero_or_minus_one",
        "bounds/fork_and32_of_sign_mask", "bounds/tnum_meets_range_in_one_value", "bounds/lsh32_keeps_negative_s32",
        "subreg/s32_crossing_refined_by_u32", "subreg/linked_sub32_checked", "subreg/linked_mixed_widths_not_synced",
        "bounds/linked_negative_delta_past_end", "bounds/linked_self_add_breaks", "bounds/limit_at_stack_bottom_bpfonly",
        "bounds/limit_above_stack_bottom_bpfonly",
        "tail/key_const_in_range", "tail/key_const_past_end", "tail/key_const_negative", "tail/key_alu32_const",
        "tail/key_computed", "tail/key_through_stack", "tail/key_from_ctx", "tail/key_bounded_not_const",
        "tail/key_pointer", "tail/key_pointer_bpfonly", "tail/same_site_two_keys", "tail/same_site_same_key",
        "tail/same_site_key_then_unknown", "tail/two_sites_two_keys", "tail/same_site_two_maps",
        "tail/same_site_two_maps_bpfonly", "tail/same_site_two_keys_bpfonly", "tail/two_sites_two_maps_bpfonly",
        "tail/precise_key_stops_pruning", "tail/imprecise_key_prunes", "tail/r0_after_fallthrough",
        "tail/packet_pointer_after_call", "tail/reference_held", "tail/sub_no_caller_stack",
        "tail/sub_caller_stack_240", "tail/sub_caller_stack_244_rounds_to_256", "tail/sub_caller_stack_248",
        "tail/sub_caller_stack_256", "tail/sub_caller_stack_512", "tail/sub_own_stack_large",
        "tail/sub_own_and_caller_past_512", "tail/main_tail_call_with_subprogs", "tail/chain_128_112",
        "tail/chain_128_128", "tail/chain_32_224_in_middle", "tail/chain_32_224_then_tail", "tail/sub_reached_two_ways",
        "tail/deep_chain_small_frames", "tail/deep_chain_reaches_256", "tail/sub_key_from_caller_precise",
        "tail/sub_key_from_caller_stack", "tail/sub_r1_not_ctx", "tail/sub_returns_r0_used", "tail/sub_two_maps",
        "tail/sub_xdp", "tail/sub_bpfonly", "tail/sub_packet_pointer_after_call",
        "tail/sub_fallthrough_keeps_packet_pointer", "tail/sub_result_is_program_result", "tail/sub_result_masked",
        "tail/sub_two_tail_calls", "tail/sub_callee_saved_survive", "tail/sub_nested_in_sub",
        "tail/sub_pointer_result_leak", "tail/global_small_caller", "tail/global_caller_stack_256",
        "tail/global_key_arg", "tail/global_void_ctx_arg", "tail/global_packet_pointer_after_call",
        "tail/kprobe_sub_stacks_no_tail_call", "tail/kprobe_sub_stacks_with_tail_call", "tail/sub_exit_path_precise_r0",
        "tail/same_site_two_unpriv_maps", "tail/same_site_two_unpriv_maps_bpfonly", "tail/same_site_unpriv_and_root_map",
        "tail/two_sites_two_unpriv_maps", "tail/same_site_unpriv_map_two_keys", "tail/sub_two_unpriv_maps_through_arg",
        "tracing/ctx_ptr_arg", "tracing/ctx_int_arg_narrow", "tracing/ctx_off_not_multiple_of_8", "tracing/sock_family",
        "tracing/sock_pointer_member", "tracing/sock_prot_then_deref", "tracing/sock_null_check", "tracing/sock_spill_fill",
        "tracing/sock_variable_offset", "tracing/sock_probe_read_kernel", "tracing/tp_btf_sched_switch_next_pid",
        "tracing/tp_btf_prev_real_parent", "tracing/tp_btf_nullable_checked", "tracing/tp_btf_nullable_unchecked",
        "tracing/task_mm_then_deref", "tracing/task_void_pointer_member", "tracing/current_task_real_parent",
        "tracing/current_task_void_pointer", "tracing/current_task_kprobe", "tracing/task_trusted_not_null",
        "tracing/files_fd_array_element", "tracing/file_path_in_union", "tracing/task_sign_extending_load",
        "tracing/socket_cookie_of_sock", "tracing/socket_cookie_of_task",
        // may_goto (the decoder-refused encodings and the callback cases are not here)
        "maygoto/forward_skip", "maygoto/first_insn", "maygoto/jump_side_uninit_read",
        "maygoto/fallthrough_side_uninit_read", "maygoto/two_in_a_row", "maygoto/loop_counter",
        "maygoto/loop_counter_bpfonly", "maygoto/loop_counter_unpriv", "maygoto/forward_unpriv",
        "maygoto/loop_state_unchanged", "maygoto/loop_at_bottom", "maygoto/self_jump_is_infinite",
        "maygoto/loop_without_may_goto_is_infinite", "maygoto/inner_loop_bypasses_may_goto",
        "maygoto/loop_with_bound_too", "maygoto/loop_reads_ctx", "maygoto/loop_body_uninit_read",
        "maygoto/loop_helper_call", "maygoto/loop_two_may_gotos", "maygoto/loop_test_state_freq",
        "maygoto/widened_counter_as_stack_offset", "maygoto/precise_index_in_body", "maygoto/masked_index_in_body",
        "maygoto/pointer_walks_down_stack", "maygoto/nested_loops", "maygoto/nested_inner_bounded",
        "maygoto/in_subprog", "maygoto/in_subprog_called_twice", "maygoto/main_and_subprog",
        "maygoto/subprog_bad_read_in_loop", "maygoto/xdp_loop", "maygoto/second_path_value_checked_after_loop",
        "maygoto/both_paths_values_in_bounds",
        // dynptrs
        "dynptr/from_mem_map_value", "dynptr/from_mem_map_value_bpfonly", "dynptr/from_mem_stack_data",
        "dynptr/from_mem_null_data", "dynptr/from_mem_size_past_value", "dynptr/from_mem_size_zero",
        "dynptr/from_mem_size_bounded", "dynptr/from_mem_size_unbounded", "dynptr/from_mem_flags_unknown",
        "dynptr/from_mem_misaligned", "dynptr/from_mem_at_fp_minus_8", "dynptr/from_mem_at_fp",
        "dynptr/from_mem_past_stack", "dynptr/from_mem_at_stack_bottom", "dynptr/from_mem_variable_offset",
        "dynptr/from_mem_dynptr_in_map_value", "dynptr/from_mem_dynptr_scalar", "dynptr/from_mem_twice_same_slots",
        "dynptr/from_mem_overlapping_slots", "dynptr/read", "dynptr/read_bpfonly", "dynptr/read_uninit_dynptr",
        "dynptr/read_from_second_slot", "dynptr/read_misaligned_dynptr", "dynptr/read_into_the_dynptr",
        "dynptr/read_into_its_second_slot", "dynptr/read_variable_length", "dynptr/read_into_map_value",
        "dynptr/read_dynptr_bytes", "dynptr/read_dynptr_second_slot_bytes", "dynptr/dynptr_as_map_key", "dynptr/write",
        "dynptr/write_uninit_source_bpfonly", "dynptr/write_uninit_source_root", "dynptr/write_from_the_dynptr",
        "dynptr/write_uninit_dynptr", "dynptr/data", "dynptr/data_bpfonly", "dynptr/data_unchecked",
        "dynptr/data_past_length", "dynptr/data_length_zero", "dynptr/data_length_variable",
        "dynptr/data_uninit_dynptr", "dynptr/data_slice_after_overwrite", "dynptr/data_slice_after_overwrite_bpfonly",
        "dynptr/data_slice_after_reinit", "dynptr/data_slice_spilled_after_overwrite",
        "dynptr/data_slice_survives_other_write", "dynptr/overwrite_then_read", "dynptr/spill_over_dynptr",
        "dynptr/variable_offset_write_over_dynptr", "dynptr/branches_join", "dynptr/one_branch_only",
        "dynptr/in_callee_of_caller_stack", "dynptr/made_in_callee_frame",
        "dynptr/ringbuf_reserve_submit", "dynptr/ringbuf_reserve_discard_bpfonly", "dynptr/ringbuf_not_released",
        "dynptr/ringbuf_released_on_one_path", "dynptr/ringbuf_released_on_both_paths", "dynptr/ringbuf_submit_twice",
        "dynptr/ringbuf_submit_uninit", "dynptr/ringbuf_submit_local_dynptr", "dynptr/ringbuf_submit_scalar",
        "dynptr/ringbuf_submit_misaligned", "dynptr/ringbuf_submit_second_slot",
        "dynptr/ringbuf_submit_variable_offset", "dynptr/ringbuf_overwrite", "dynptr/ringbuf_overwrite_second_slot",
        "dynptr/ringbuf_reserve_over_ringbuf_dynptr", "dynptr/ringbuf_reserve_over_local_dynptr",
        "dynptr/ringbuf_read_into_it", "dynptr/ringbuf_read_write_data", "dynptr/ringbuf_slice_after_submit",
        "dynptr/ringbuf_slice_after_discard_bpfonly", "dynptr/ringbuf_slice_spilled_after_submit",
        "dynptr/ringbuf_read_after_submit", "dynptr/ringbuf_reserve_size_unknown", "dynptr/ringbuf_reserve_from_array",
        "dynptr/ringbuf_reserve_misaligned", "dynptr/ringbuf_two_dynptrs_released_in_other_order",
        "dynptr/ringbuf_released_in_callee", "dynptr/ringbuf_branches_join", "dynptr/ringbuf_tail_call_holding_it",
        "dynptr/prune_ringbuf_path_then_local_path", "dynptr/prune_two_ringbuf_dynptrs_swapped", "dynptr/prune_unused_dynptr_on_one_path",
        "dynptr/prune_slice_of_either_size",
        "dynptr/variable_offset_write_over_dynptr_bpfonly", "dynptr/ringbuf_variable_offset_write_over_it", "dynptr/ringbuf_helper_writes_over_it",
        "dynptr/local_helper_writes_over_it",
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases) data.Add(name);
        return data;
    }

    [Fact]
    public void The_compared_cases_are_many_and_of_both_verdicts()
    {
        Assert.True(Cases.Length >= 40, $"{Cases.Length} cases");
        Assert.Equal(Cases.Length, Cases.Distinct().Count());
        Assert.All(Cases, name => Assert.True(VerifierCorpus.ByName.ContainsKey(name), name));
        Assert.True(Cases.Count(n => VerifierCorpus.ByName[n].Kernel.Accepted) >= 15, "too few accepted cases");
        Assert.True(Cases.Count(n => !VerifierCorpus.ByName[n].Kernel.Accepted) >= 15, "too few rejected cases");
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Our_level2_log_is_the_kernels(string name)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        Skip.IfNot(VerifierCorpusKernel.CanLoad(c, out string why), why);
        string? difference = Compare(c, out string kernelLog, out string ourLog);
        Assert.True(difference is null, $"{name}: {difference}\n---- kernel\n{kernelLog}\n---- ours\n{ourLog}");
    }

    [SkippableFact]
    public void Survey_every_case()
    {
        string? path = Environment.GetEnvironmentVariable("BPFSHARP_LOG_SURVEY");
        Skip.If(path is null, "set BPFSHARP_LOG_SURVEY to a file name to survey every corpus case's level-2 log");
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var report = new StringBuilder();
        int same = 0, total = 0;
        foreach (VerifierCase c in VerifierCorpus.All)
        {
            if (!VerifierCorpusKernel.CanLoad(c, out _)) continue;
            total++;
            string? difference = Compare(c, out _, out _);
            if (difference is null) same++;
            report.Append(difference is null ? "SAME " : "DIFF ").Append(c.Name)
                .Append(c.Kernel.Accepted ? " (accepted)" : " (rejected)").Append('\n');
            if (difference is not null) report.Append("    ").Append(difference.Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
        }
        report.Insert(0, $"{same} of {total} logs agree\n");
        File.WriteAllText(path!, report.ToString());
    }

    /// <summary>Null when both level-2 logs agree; else the first line where they part, both sides.</summary>
    private static string? Compare(VerifierCase c, out string kernelLog, out string ourLog)
    {
        VerifierCorpusKernel.Load(c, 2, out kernelLog);
        (_, ourLog) = VerifierCorpusOurs.Load(c, logLevel: 2);
        List<string> kernel = KernelVerifierLog.ComparableLines(kernelLog), ours = KernelVerifierLog.ComparableLines(ourLog);
        for (int i = 0; i < Math.Max(kernel.Count, ours.Count); i++)
        {
            string? k = i < kernel.Count ? kernel[i] : null, o = i < ours.Count ? ours[i] : null;
            if (k != o)
                return $"line {i + 1}:\n  kernel: {k ?? "(end)"}\n  ours:   {o ?? "(end)"}";
        }
        return null;
    }
}
