using System.Buffers.Binary;
using System.Text;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class MultiplexedStreamTests
{
    internal static byte[] Frame(byte type, string text) => Frame(type, Encoding.UTF8.GetBytes(text));

    internal static byte[] Frame(byte type, byte[] payload)
    {
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static Task<(string Stdout, string Stderr)> Decode(byte[] bytes, int maxChunk = int.MaxValue) =>
        MultiplexedStream.ReadToEndAsync(new TrickleStream(bytes, maxChunk), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Interleaved_stdout_and_stderr_frames_are_separated_in_order()
    {
        byte[] bytes = [.. Frame(1, "hi\n"), .. Frame(2, "err\n"), .. Frame(1, "second\n"), .. Frame(2, "more err\n")];

        var (stdout, stderr) = await Decode(bytes);

        Assert.Equal("hi\nsecond\n", stdout);
        Assert.Equal("err\nmore err\n", stderr);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public async Task Frames_split_across_reads_decode_the_same(int maxChunk)
    {
        byte[] bytes = [.. Frame(1, "hello "), .. Frame(2, "warn"), .. Frame(1, "world")];

        var (stdout, stderr) = await Decode(bytes, maxChunk);

        Assert.Equal("hello world", stdout);
        Assert.Equal("warn", stderr);
    }

    [Fact]
    public async Task A_character_split_across_two_frames_stays_intact()
    {
        byte[] euro = Encoding.UTF8.GetBytes("\u20ac");
        byte[] bytes = [.. Frame(1, euro[..1]), .. Frame(1, euro[1..])];

        var (stdout, _) = await Decode(bytes);

        Assert.Equal("\u20ac", stdout);
    }

    [Fact]
    public async Task Empty_stream_and_empty_frames_give_empty_output()
    {
        Assert.Equal(("", ""), await Decode([]));
        Assert.Equal(("", ""), await Decode([.. Frame(1, ""), .. Frame(2, "")]));
    }

    [Fact]
    public async Task A_large_frame_is_read_completely()
    {
        string big = new('x', 300_000);

        var (stdout, _) = await Decode(Frame(1, big), maxChunk: 70_000);

        Assert.Equal(300_000, stdout.Length);
    }

    [Fact]
    public async Task A_truncated_payload_throws_naming_the_announced_and_received_bytes()
    {
        byte[] frame = Frame(1, "0123456789");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Decode(frame[..^4]));

        Assert.Contains("announced 10 bytes of stdout but only 6 arrived", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_header_throws()
    {
        byte[] bytes = [.. Frame(1, "ok"), 2, 0, 0];

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Decode(bytes));

        Assert.Contains("got 3 of 8 header bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tty_stream_is_rejected_as_not_multiplexed()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Decode(Encoding.ASCII.GetBytes("plain tty output\n")));

        Assert.Contains("not multiplexed", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tty", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A read-only stream that hands out at most a few bytes per read, as a slow socket does.</summary>
    private sealed class TrickleStream(byte[] data, int maxChunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, maxChunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
