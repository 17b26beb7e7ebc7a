namespace BpfSharp.Verifier;

/// <summary>Ends a verification: the message is already in the log; carries the errno the load fails with.</summary>
internal sealed class VerifierException(int errno) : Exception
{
    public int Errno { get; } = errno;
}
