namespace BpfSharp.ProgramTypes;

/// <summary>The checksum states of an skb (kernel: CHECKSUM_NONE, _UNNECESSARY, _COMPLETE, _PARTIAL).</summary>
public enum SkbChecksum
{
    /// <summary>CHECKSUM_NONE: nothing is known about the checksum.</summary>
    None = 0,
    /// <summary>CHECKSUM_UNNECESSARY: the checksum was verified.</summary>
    Unnecessary = 1,
    /// <summary>CHECKSUM_COMPLETE: <see cref="SkBuff.Csum"/> holds the sum of the packet.</summary>
    Complete = 2,
    /// <summary>CHECKSUM_PARTIAL: the checksum is to be completed on transmit.</summary>
    Partial = 3,
}
