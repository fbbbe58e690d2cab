using System.Buffers;

namespace Miso.Privacy.Forwarding;

/// <summary>Writes into one array known to be large enough (the forwarded body is never longer than the received one).</summary>
sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
{
    public int Written { get; private set; }

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(Written);

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(Written);
}
