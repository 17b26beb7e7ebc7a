using BpfSharp.Hosting;
using BpfSharp.Uapi;

namespace BpfSharp;

// Host-defined program types.
public sealed partial class BpfSystem
{
    private HostProgramTypeRegistration[] _hostTypes = [];
    private readonly Lock _hostTypesLock = new();

    /// <summary>
    /// Registers <paramref name="type"/> with this system and returns its program-type number
    /// (<see cref="HostProgramType.FirstProgTypeNumber"/>, then the next): BPF_PROG_LOAD with that prog_type verifies
    /// programs with the type's rules and binds them to this system's helpers plus the type's own.
    /// </summary>
    /// <exception cref="ArgumentException">The type allows a kernel helper this system does not implement, or one of its
    /// helper ids is taken by this system's helpers.</exception>
    public BpfProgType RegisterProgramType(HostProgramType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_hostTypesLock)
        {
            var number = (BpfProgType)(HostProgramType.FirstProgTypeNumber + (uint)_hostTypes.Length);
            var registration = new HostProgramTypeRegistration(type, number, _helpers);
            Volatile.Write(ref _hostTypes, [.. _hostTypes, registration]);
            return number;
        }
    }

    /// <summary>The host type registered as <paramref name="number"/>, or null.</summary>
    public HostProgramType? GetProgramType(BpfProgType number) => HostType(number)?.Type;

    internal HostProgramTypeRegistration? HostType(BpfProgType number)
    {
        HostProgramTypeRegistration[] types = Volatile.Read(ref _hostTypes);
        uint index = (uint)number - HostProgramType.FirstProgTypeNumber;
        return index < (uint)types.Length ? types[index] : null;
    }
}
