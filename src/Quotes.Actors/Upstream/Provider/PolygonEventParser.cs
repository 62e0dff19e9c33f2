using System.Text.Json;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Parses one upstream frame (a JSON array of events; Polygon batches several per frame) without reflection. Tolerant by design:
/// unknown fields and event types are skipped, an event with a wrong-typed or undecodable field (a lone surrogate, a
/// number out of range) is dropped and counted, and a frame that is not JSON yields no events. Never throws: whatever
/// else goes wrong in a frame costs that frame (counted malformed), never the feed.
/// </summary>
public static class PolygonEventParser
{
    public readonly record struct Result(IReadOnlyList<PolygonEvent> Events, int Malformed);

    public static Result Parse(ReadOnlySpan<byte> frame)
    {
        var events = new List<PolygonEvent>();
        var malformed = 0;
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read()) return new(events, 1);
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadEvent(ref reader, frame, events, ref malformed);
                return new(events, malformed);
            }
            if (reader.TokenType != JsonTokenType.StartArray) return new(events, 1);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject) ReadEvent(ref reader, frame, events, ref malformed);
                else { malformed++; reader.Skip(); }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            malformed++;
        }
        return new(events, malformed);
    }

    private static void ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> frame, List<PolygonEvent> events, ref int malformed)
    {
        var start = (int)reader.TokenStartIndex;
        string? ev = null, sym = null, status = null, message = null;
        decimal o = 0, h = 0, l = 0, c = 0, op = 0, vw = 0, a = 0;
        long v = 0, av = 0, s = 0, e = 0;
        var ok = true;
        var simulated = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "ev": ok &= TryString(ref reader, out ev); break;
                case "sym": ok &= TryString(ref reader, out sym); break;
                case "status": ok &= TryString(ref reader, out status); break;
                case "message": ok &= TryString(ref reader, out message); break;
                case "simulated": simulated = reader.TokenType == JsonTokenType.True; reader.Skip(); break;
                case "o": ok &= TryDecimal(ref reader, out o); break;
                case "h": ok &= TryDecimal(ref reader, out h); break;
                case "l": ok &= TryDecimal(ref reader, out l); break;
                case "c": ok &= TryDecimal(ref reader, out c); break;
                case "op": ok &= TryDecimal(ref reader, out op); break;
                case "vw": ok &= TryDecimal(ref reader, out vw); break;
                case "a": ok &= TryDecimal(ref reader, out a); break;
                case "v": ok &= TryLong(ref reader, out v); break;
                case "av": ok &= TryLong(ref reader, out av); break;
                case "s": ok &= TryLong(ref reader, out s); break;
                case "e": ok &= TryLong(ref reader, out e); break;
                default: reader.Skip(); break;
            }
        }

        switch (ev)
        {
            case "status" when ok && status is not null:
                events.Add(new PolygonStatusEvent(status, message ?? string.Empty, simulated));
                break;
            case "A" or "AM" when ok && sym is not null && c > 0 && e > 0:
                events.Add(new AggregateBar
                {
                    Symbol = sym, Open = o, High = h, Low = l, Close = c, Volume = v, AccumulatedVolume = av,
                    OfficialOpen = op, WindowVwap = vw, DayVwap = a, Start = s, End = e,
                    Raw = frame[start..(int)reader.BytesConsumed].ToArray(),
                });
                break;
            case "A" or "AM" or "status" or null:
                malformed++;
                break;
                // Other event types (T, Q, LULD, ...) are not carried yet and are skipped silently.
        }
    }

    /// <summary>A string that cannot be decoded (a lone surrogate such as <c>"\ud800"</c>) makes its event malformed, not the frame.</summary>
    private static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            try { value = reader.GetString(); }
            catch (InvalidOperationException) { return false; }
        }
        if (value is null) reader.Skip();
        return value is not null;
    }

    private static bool TryDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out value)) return true;
        reader.Skip();
        return false;
    }

    /// <summary>Volumes and times are integers on the wire but decoded as numbers by the official clients; accept both.</summary>
    private static bool TryLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number) { reader.Skip(); return false; }
        if (reader.TryGetInt64(out value)) return true;
        if (reader.TryGetDouble(out var d) && d is >= long.MinValue and <= long.MaxValue) { value = (long)d; return true; }
        return false;
    }
}
