using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Actors.Upstream.Provider;

namespace Quotes.Actors.Upstream;

/// <summary>
/// After (re)connecting, reads the provider snapshot of every symbol the new connection subscribes (those wanted at
/// <c>auth_success</c> and those recalled or renewed within one lease after it), a few hundred symbols per request
/// (<see cref="SnapshotBatcher"/>), so rarely traded symbols show a current price at once. A snapshot only ever moves an
/// entity forward. Outside that window an entity reads its own day when it starts.
/// </summary>
public sealed class UpstreamRefill(SnapshotBatcher snapshots, IActorRef region, TimeSpan lease)
{
    /// <summary>What one refill found: symbols refreshed, and symbols without a snapshot (unlisted, or the provider failed).</summary>
    public sealed record Done(int Refreshed, int Failed);

    /// <summary>True when symbols subscribed at <paramref name="now"/> are refilled: within one lease of <c>auth_success</c>.</summary>
    public bool Covers(DateTime authenticatedAt, DateTime now) => now - authenticatedAt < lease;

    /// <summary>Reads the symbols fresh and hands each day found to its entity.</summary>
    public async Task<Done> RefillAsync(IReadOnlyList<string> symbols)
    {
        var days = await Task.WhenAll(symbols.Select(snapshots.GetFreshAsync)).ConfigureAwait(false);
        var refreshed = 0;
        foreach (var day in days)
        {
            if (day.Day is null) continue;
            region.Tell(new SymbolProtocol.Refresh(day.Day.Symbol, day.Day, day.PreviousClose));
            refreshed++;
        }
        return new Done(refreshed, symbols.Count - refreshed);
    }
}
