using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Miso.Privacy.Infrastructure.Http;

/// <summary>
/// The one request-body reader: the body read whole into a pooled buffer, up to a limit, so the forwarder hands its
/// bytes on without a copy. <see cref="Json.JsonBody"/> reads JSON bodies through it.
/// </summary>
public sealed class RequestBody : IDisposable
{
    byte[]? _buffer;
    readonly int _length;

    RequestBody(byte[] buffer, int length) => (_buffer, _length) = (buffer, length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Null when the body is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext http, int limit)
    {
        var request = http.Request;
        if (request.ContentLength > limit) return null;
        // Ours is the limit that applies; the server's default (30 MB in Kestrel) would otherwise cut in first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0)
            {
                length += read;
                if (length > limit) break;
                if (length == buffer.Length) buffer = Grow(buffer, length, (int)Math.Min(2L * buffer.Length, limit + 1L));
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            length = int.MaxValue;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length <= limit) return new RequestBody(buffer, length);
        ArrayPool<byte>.Shared.Return(buffer);
        return null;
    }

    static byte[] Grow(byte[] buffer, int length, int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
