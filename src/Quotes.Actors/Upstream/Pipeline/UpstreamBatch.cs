using Quotes.Actors.Upstream.Provider;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// The frames parsed while the apply stage was busy, conflated: every status kept in order (control is never dropped),
/// the newest aggregate per symbol kept (the later window end wins; an equal one, the later arrival), the others counted
/// in <see cref="Conflated"/>. While the apply stage keeps up a batch is one frame and costs nothing more than the frame.
/// </summary>
public sealed class UpstreamBatch
{
    private List<AggregateBar>? _bars;
    private List<PolygonStatusEvent>? _statuses;
    /// <summary>The connection of each status, in step with <see cref="_statuses"/>.</summary>
    private List<int>? _statusLinks;
    private List<(int Link, LinkEnd End)>? _ends;
    /// <summary>Symbol → index in <see cref="_bars"/>; built when a second frame with aggregates joins.</summary>
    private Dictionary<string, int>? _index;
    /// <summary>False while <see cref="_statuses"/> is still a frame's own list.</summary>
    private bool _ownsStatuses;

    private UpstreamBatch() { }

    public IReadOnlyList<AggregateBar> Bars => (IReadOnlyList<AggregateBar>?)_bars ?? [];
    public IReadOnlyList<PolygonStatusEvent> Statuses => (IReadOnlyList<PolygonStatusEvent>?)_statuses ?? [];

    /// <summary>The connection that carried each of <see cref="Statuses"/> (<see cref="ParsedFrame.Link"/>).</summary>
    public IReadOnlyList<int> StatusLinks => (IReadOnlyList<int>?)_statusLinks ?? [];

    /// <summary>Connections that ended, each after its own statuses (never dropped, as statuses are not).</summary>
    public IReadOnlyList<(int Link, LinkEnd End)> Ends => (IReadOnlyList<(int, LinkEnd)>?)_ends ?? [];
    public int Malformed { get; private set; }

    /// <summary>Aggregates dropped because a newer one for the same symbol arrived before this batch was applied.</summary>
    public int Conflated { get; private set; }

    public static UpstreamBatch Seed(ParsedFrame frame) => new()
    {
        _bars = frame.Bars, _statuses = frame.Statuses, _statusLinks = Links(frame), Malformed = frame.Malformed,
        _ends = frame.End is { } end ? [(frame.Link, end)] : null,
    };

    private static List<int>? Links(ParsedFrame frame) => frame.Statuses is { Count: var n } ? Enumerable.Repeat(frame.Link, n).ToList() : null;

    /// <summary>Folds a later frame in. The seed frame's lists are copied on the first fold, never changed.</summary>
    public UpstreamBatch Add(ParsedFrame frame)
    {
        Malformed += frame.Malformed;
        if (frame.End is { } end) (_ends ??= []).Add((frame.Link, end));
        if (frame.Statuses is { } statuses)
        {
            if (!_ownsStatuses) (_statuses, _ownsStatuses) = ([.. _statuses ?? []], true);
            _statuses!.AddRange(statuses);
            (_statusLinks ??= []).AddRange(Links(frame)!);
        }
        if (frame.Bars is not { } bars) return this;
        if (_index is null)
        {
            var seed = _bars;
            _bars = new List<AggregateBar>((seed?.Count ?? 0) + bars.Count);
            _index = new Dictionary<string, int>(_bars.Capacity, StringComparer.Ordinal);
            if (seed is not null) foreach (var bar in seed) Put(bar);
        }
        foreach (var bar in bars) Put(bar);
        return this;
    }

    private void Put(AggregateBar bar)
    {
        if (_index!.TryGetValue(bar.Symbol, out var at))
        {
            Conflated++;
            if (bar.End >= _bars![at].End) _bars[at] = bar;
            return;
        }
        _index[bar.Symbol] = _bars!.Count;
        _bars.Add(bar);
    }
}
