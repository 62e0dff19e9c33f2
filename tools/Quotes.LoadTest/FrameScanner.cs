using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Quotes.LoadTest;

/// <summary>
/// One client's view of the frames it receives: counts quotes and errors, records each quote's latency (receipt time
/// minus its <c>timestamp</c>) and the <c>seq</c> gaps per symbol. Single-threaded: one scanner per client.
/// <para>
/// A frame is a JSON array of messages (PROTOCOL.md). Quotes are flat objects, so the scanner walks each message's
/// properties directly over the bytes, reading only <c>type</c>, <c>symbol</c>, <c>timestamp</c> and <c>seq</c> and
/// skipping the other values with vectorised searches; a nested value (an array, an object) is skipped with
/// <see cref="Utf8JsonReader"/>. That keeps the tool several times cheaper than the server it measures on the same
/// machine. Anything that is not well-formed counts as an error.
/// </para>
/// </summary>
public sealed class FrameScanner(LatencyHistogram histogram)
{
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lastSeq =
        new Dictionary<string, long>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Quotes seen while measuring.</summary>
    public long Quotes { get; private set; }

    /// <summary>Quotes never received because a newer one for the same symbol replaced them (measured only).</summary>
    public long Gaps { get; private set; }

    /// <summary><c>error</c> messages and malformed frames, measured or not.</summary>
    public long Errors { get; private set; }

    /// <summary>Scans one frame received at <paramref name="nowMs"/> (Unix ms); counts and records only when <paramref name="measuring"/>.</summary>
    public void Scan(ReadOnlySpan<byte> frame, long nowMs, bool measuring)
    {
        var pos = SkipSpace(frame, 0);
        if (pos >= frame.Length || frame[pos] != (byte)'[') { Errors++; return; }
        pos = SkipSpace(frame, pos + 1);
        if (pos < frame.Length && frame[pos] == (byte)']') return;
        while (pos < frame.Length)
        {
            if (!TryMessage(frame, ref pos, nowMs, measuring)) { Errors++; return; }
            pos = SkipSpace(frame, pos);
            if (pos >= frame.Length) break;
            if (frame[pos] == (byte)']') return;
            if (frame[pos] != (byte)',') break;
            pos = SkipSpace(frame, pos + 1);
        }
        Errors++; // the array never closed
    }

    private bool TryMessage(ReadOnlySpan<byte> frame, ref int pos, long nowMs, bool measuring)
    {
        if (frame[pos] != (byte)'{') return false;
        pos = SkipSpace(frame, pos + 1);
        bool quote = false, error = false;
        Span<char> symbolChars = stackalloc char[32];
        int symbolLength = -1;
        long timestamp = 0, seq = 0;
        if (pos < frame.Length && frame[pos] == (byte)'}') { pos++; return true; }
        while (true)
        {
            if (!TryString(frame, ref pos, out var name, out _)) return false;
            pos = SkipSpace(frame, pos);
            if (pos >= frame.Length || frame[pos] != (byte)':') return false;
            pos = SkipSpace(frame, pos + 1);
            if (pos >= frame.Length) return false;
            var first = frame[pos];
            if (first == (byte)'"')
            {
                if (!TryString(frame, ref pos, out var value, out var escaped)) return false;
                if (name.SequenceEqual("type"u8))
                {
                    quote = value.SequenceEqual("quote"u8);
                    error = value.SequenceEqual("error"u8);
                }
                else if (name.SequenceEqual("symbol"u8) && !escaped && value.Length <= symbolChars.Length)
                    symbolLength = Encoding.UTF8.GetChars(value, symbolChars);
            }
            else if (first is (byte)'{' or (byte)'[')
            {
                var nested = new Utf8JsonReader(frame[pos..]);
                try
                {
                    nested.Read();
                    nested.Skip();
                }
                catch (JsonException) { return false; }
                pos += (int)nested.BytesConsumed;
            }
            else
            {
                var end = frame[pos..].IndexOfAny((byte)',', (byte)'}');
                if (end < 0) return false;
                var scalar = frame.Slice(pos, end).TrimEnd(" \t\r\n"u8);
                if (name.SequenceEqual("timestamp"u8)) { if (!Utf8Parser.TryParse(scalar, out timestamp, out _)) return false; }
                else if (name.SequenceEqual("seq"u8) && !Utf8Parser.TryParse(scalar, out seq, out _)) return false;
                pos += end;
            }
            pos = SkipSpace(frame, pos);
            if (pos >= frame.Length) return false;
            if (frame[pos] == (byte)'}') { pos++; break; }
            if (frame[pos] != (byte)',') return false;
            pos = SkipSpace(frame, pos + 1);
        }

        if (error) Errors++;
        if (!quote || symbolLength < 0) return true;
        var symbol = symbolChars[..symbolLength];
        if (_lastSeq.TryGetValue(symbol, out var last) && seq > last + 1 && measuring) Gaps += seq - last - 1;
        _lastSeq[symbol] = seq;
        if (!measuring) return true;
        Quotes++;
        histogram.Record(Math.Max(0, nowMs - timestamp));
        return true;
    }

    /// <summary>Reads a JSON string at <paramref name="pos"/> (which must be its opening quote); the value is raw (escapes not decoded).</summary>
    private static bool TryString(ReadOnlySpan<byte> frame, ref int pos, out ReadOnlySpan<byte> value, out bool escaped)
    {
        value = default;
        escaped = false;
        if (pos >= frame.Length || frame[pos] != (byte)'"') return false;
        var start = pos + 1;
        var at = start;
        while (true)
        {
            var next = frame[at..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0) return false;
            at += next;
            if (frame[at] == (byte)'"') break;
            escaped = true;
            at += 2; // the backslash and the character it escapes
            if (at > frame.Length) return false;
        }
        value = frame[start..at];
        pos = at + 1;
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<byte> frame, int pos)
    {
        while (pos < frame.Length && frame[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') pos++;
        return pos;
    }
}
