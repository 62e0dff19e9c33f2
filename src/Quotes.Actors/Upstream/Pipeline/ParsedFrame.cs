using Quotes.Actors.Upstream.Provider;
using Quotes.Contracts;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// What one upstream frame held: its aggregates for valid symbols, its statuses in order, and how many of its events
/// were malformed. <see cref="Empty"/> when it held nothing usable.
/// </summary>
public sealed class ParsedFrame
{
    public static readonly ParsedFrame Empty = new(null, null, 0, long.MaxValue);

    private ParsedFrame(List<AggregateBar>? bars, List<PolygonStatusEvent>? statuses, int malformed, long oldestEventMs, int link = 0,
        LinkEnd? end = null)
    {
        Link = link;
        End = end;
        Bars = bars;
        Statuses = statuses;
        Malformed = malformed;
        OldestEventMs = oldestEventMs;
    }

    public List<AggregateBar>? Bars { get; }
    public List<PolygonStatusEvent>? Statuses { get; }
    public int Malformed { get; }

    /// <summary>The connection that carried the frame (<see cref="InboundFrame.Link"/>).</summary>
    public int Link { get; }

    /// <summary>Not a frame but the end of the connection (<see cref="InboundFrame.End"/>).</summary>
    public LinkEnd? End { get; }

    /// <summary>The end of the oldest aggregate's window (Unix ms), <see cref="long.MaxValue"/> without aggregates.</summary>
    public long OldestEventMs { get; }

    public int Aggregates => Bars?.Count ?? 0;

    /// <summary>Parses one frame (never throws for what the parser knows; see <see cref="PolygonEventParser"/>).</summary>
    public static ParsedFrame Parse(InboundFrame frame)
    {
        if (frame.End is { } end) return new ParsedFrame(null, null, 0, long.MaxValue, frame.Link, end);
        if (frame.Text is not { } text) return Malformed1;
        var result = PolygonEventParser.Parse(text);
        var malformed = result.Malformed;
        var oldest = long.MaxValue;
        List<AggregateBar>? bars = null;
        List<PolygonStatusEvent>? statuses = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case AggregateBar bar when SymbolRules.IsValid(bar.Symbol):
                    (bars ??= []).Add(bar);
                    oldest = Math.Min(oldest, bar.End);
                    break;
                case AggregateBar:
                    malformed++;
                    break;
                case PolygonStatusEvent status:
                    (statuses ??= []).Add(status);
                    break;
            }
        }
        return bars is null && statuses is null && malformed == 0 ? Empty : new ParsedFrame(bars, statuses, malformed, oldest, frame.Link);
    }

    private static readonly ParsedFrame Malformed1 = new(null, null, 1, long.MaxValue);
}
