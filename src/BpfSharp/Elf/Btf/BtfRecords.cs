namespace BpfSharp.Elf.Btf;

/// <summary><c>struct btf_member</c> of a STRUCT or UNION, decoded.</summary>
/// <param name="Name">The member's name ("" if anonymous).</param>
/// <param name="Type">The member's type id.</param>
/// <param name="BitOffset">Offset of the member in bits from the start of the struct.</param>
/// <param name="BitfieldSize">
/// Width of a bitfield member in bits (only with the struct's kind_flag; 0 for a plain member).
/// </param>
public readonly record struct BtfMember(string Name, uint Type, uint BitOffset, uint BitfieldSize);

/// <summary><c>struct btf_param</c> of a FUNC_PROTO: a parameter (a last one of type 0 means "...").</summary>
/// <param name="Name">The parameter's name ("" if unnamed).</param>
/// <param name="Type">The parameter's type id; 0 for the variadic marker.</param>
public readonly record struct BtfParam(string Name, uint Type);

/// <summary>
/// <c>struct btf_enum</c> / <c>struct btf_enum64</c>: one enumerator. For a signed enum (kind_flag 1)
/// the value is sign-extended; an unsigned ENUM64 value above <see cref="long.MaxValue"/> reads as its
/// two's complement.
/// </summary>
/// <param name="Name">The enumerator's name.</param>
/// <param name="Value">The enumerator's value.</param>
public readonly record struct BtfEnumValue(string Name, long Value);

/// <summary><c>struct btf_array</c>: the element type, index type and element count of an ARRAY.</summary>
/// <param name="Type">Element type id.</param>
/// <param name="IndexType">Index type id (a regular INT).</param>
/// <param name="Nelems">Number of elements.</param>
public readonly record struct BtfArray(uint Type, uint IndexType, uint Nelems);

/// <summary><c>struct btf_var_secinfo</c>: one variable of a DATASEC.</summary>
/// <param name="Type">The VAR's type id.</param>
/// <param name="Offset">Offset of the variable in the section.</param>
/// <param name="Size">Size of the variable in bytes.</param>
public readonly record struct BtfVarSecinfo(uint Type, uint Offset, uint Size);
