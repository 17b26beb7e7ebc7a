using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Hosting;

// The context described by a C# struct.
public sealed partial class HostProgramTypeBuilder
{
    /// <summary>
    /// Starts a type whose context is <typeparamref name="TContext"/>: its size, and one field per instance field
    /// (read-only, or writable with <see cref="BpfWritableAttribute"/>; left out with <see cref="BpfHiddenAttribute"/>).
    /// Integer, enum and pointer fields are fields of their size; a fixed-size buffer (<c>fixed uint cb[5]</c>) is one
    /// field per element; a nested struct contributes its own fields (<c>outer.inner</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A field's type has no fixed native layout (bool, char, float) or is larger
    /// than 8 bytes, or the struct's managed and native layouts differ.</exception>
    public static HostProgramTypeBuilder For<TContext>(string name) where TContext : unmanaged
    {
        int size = Unsafe.SizeOf<TContext>();
        if (Marshal.SizeOf<TContext>() != size)
            throw new ArgumentException($"{typeof(TContext).Name}: its native layout differs from the managed one; use integer fields only");
        var builder = new HostProgramTypeBuilder(name, size);
        builder.AddStructFields(typeof(TContext), 0, "", writableParent: false);
        return builder;
    }

    private void AddStructFields(Type type, int baseOffset, string prefix, bool writableParent)
    {
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.IsDefined(typeof(BpfHiddenAttribute))) continue;
            int offset = baseOffset + (int)Marshal.OffsetOf(type, field.Name);
            bool writable = writableParent || field.IsDefined(typeof(BpfWritableAttribute));
            string name = prefix + FieldName(field);
            if (field.GetCustomAttribute<FixedBufferAttribute>() is { } buffer)
            {
                ArrayField(name, offset, ScalarSize(name, buffer.ElementType), buffer.Length, writable);
                continue;
            }
            Type t = field.FieldType;
            if (t.IsPointer || t == typeof(nint) || t == typeof(nuint) || t.IsEnum || t.IsPrimitive)
            {
                Field(name, offset, ScalarSize(name, t), writable);
                continue;
            }
            AddStructFields(t, offset, name + ".", writable);
        }
    }

    // A compiler-generated backing field <X>k__BackingField is shown as X.
    private static string FieldName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is > 1 and var end ? field.Name[1..end] : field.Name;

    private static int ScalarSize(string name, Type t)
    {
        if (t.IsPointer || t == typeof(nint) || t == typeof(nuint)) return IntPtr.Size;
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        return Type.GetTypeCode(t) switch
        {
            TypeCode.SByte or TypeCode.Byte => 1,
            TypeCode.Int16 or TypeCode.UInt16 => 2,
            TypeCode.Int32 or TypeCode.UInt32 => 4,
            TypeCode.Int64 or TypeCode.UInt64 => 8,
            _ => throw new ArgumentException($"context field {name}: type {t.Name} is not an integer (use byte, short, int, long or their unsigned forms)"),
        };
    }
}
