using Akka.Actor;
using Quotes.Actors.Upstream;

namespace Quotes.Actors.Sessions;

/// <summary>
/// Whether a connection may take on symbols it does not hold: first the key's budget on this node
/// (<see cref="KeySymbolBudget"/>), then the cluster's cap at the upstream singleton, the one place that knows what the
/// cluster carries (<see cref="UpstreamProtocol.Admit"/>). All or nothing: a refused request holds nothing.
/// </summary>
public sealed class SymbolAdmission(KeySymbolBudget budget, IActorRef upstream)
{
    /// <summary>How long a subscribe waits for the upstream's answer. Past it (the singleton is moving between nodes) the request is admitted: the entities' wants reach the new holder as before.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when admitted (the key now holds the symbols), else the refusal for the <c>CAPACITY</c> error.</summary>
    public async Task<string?> AdmitAsync(string keyId, IReadOnlyList<string> symbols)
    {
        if (budget.TryHold(keyId, symbols, DateTime.UtcNow) is { } refusal) return refusal;
        UpstreamProtocol.Admission answer;
        try
        {
            answer = await upstream.Ask<UpstreamProtocol.Admission>(new UpstreamProtocol.Admit(symbols), AskTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
        if (answer.Admitted) return null;
        budget.Release(keyId, symbols);
        return $"the server carries its most symbols upstream: {answer.Carried} of {answer.Max} (Polygon:MaxSymbols); symbols already streamed can still be subscribed";
    }

    public void Release(string keyId, IEnumerable<string> symbols) => budget.Release(keyId, symbols);

    /// <summary>
    /// A connection stopped with <paramref name="held"/> and maybe an admission still on its way: gives back what it holds
    /// now, and what the pending admission grants once it lands.
    /// </summary>
    public void ReleaseOnStop(string keyId, IEnumerable<string> held, Task<string?>? pending, IReadOnlyList<string> pendingSymbols)
    {
        Release(keyId, held);
        pending?.ContinueWith(t => { if (t.IsCompletedSuccessfully && t.Result is null) Release(keyId, pendingSymbols); }, TaskScheduler.Default);
    }
}
