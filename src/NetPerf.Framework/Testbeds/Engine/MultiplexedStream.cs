using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// Decodes the engine's multiplexed output stream of a non-TTY exec or attach into stdout and stderr.
/// </summary>
/// <remarks>
/// Each frame is an 8-byte header (stream type: 0 stdin, 1 stdout, 2 stderr, 3 engine error; three zero
/// bytes; payload length as big-endian uint32) followed by the payload. Payload bytes are collected per
/// stream and decoded as UTF-8 only at the end, so a character split across frames stays intact.
/// </remarks>
internal static class MultiplexedStream
{
    private const int HeaderLength = 8;
    private const int CopyBufferLength = 64 * 1024;

    /// <summary>Reads frames until the stream ends and returns everything written to stdout and stderr.</summary>
    /// <exception cref="InvalidDataException">The stream is not multiplexed, or ends inside a frame.</exception>
    public static async Task<(string Stdout, string Stderr)> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        byte[] header = new byte[HeaderLength];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferLength);
        long position = 0;
        try
        {
            while (true)
            {
                int got = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    break;
                }

                if (got < HeaderLength)
                {
                    throw new InvalidDataException(
                        $"The exec output stream ended inside a frame header at byte {position}: got {got} of {HeaderLength} header bytes. "
                        + "The engine closed the connection early; check the engine log ('journalctl -u docker' or dockerd's output).");
                }

                byte type = header[0];
                if (type > 3 || header[1] != 0 || header[2] != 0 || header[3] != 0)
                {
                    throw new InvalidDataException(
                        $"The exec output stream is not multiplexed: the frame header at byte {position} is "
                        + $"'{Convert.ToHexString(header)}' (expected stream type 0-3 and three zero bytes). "
                        + "Was the exec created with Tty=true? NetPerf always creates execs with Tty=false.");
                }

                uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                MemoryStream target = type is 2 or 3 ? stderr : stdout;
                long remaining = length;
                while (remaining > 0)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new InvalidDataException(
                            $"The exec output stream ended inside a frame at byte {position}: the header announced {length} bytes of "
                            + $"{StreamName(type)} but only {length - remaining} arrived. The engine closed the connection early; "
                            + "check the engine log ('journalctl -u docker' or dockerd's output).");
                    }

                    target.Write(buffer, 0, read);
                    remaining -= read;
                }

                position += HeaderLength + length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Decode(stdout), Decode(stderr));
    }

    private static string Decode(MemoryStream bytes) =>
        Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);

    private static string StreamName(byte type) => type switch
    {
        0 => "stdin",
        1 => "stdout",
        2 => "stderr",
        _ => "engine error output",
    };
}
