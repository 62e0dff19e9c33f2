using Akka.Actor;
using Quotes.Actors.Messages;

namespace Quotes.Actors.Sessions;

/// <summary>
/// Whether a connection may take on symbols it does not hold: first the key's budget across the cluster, as this node sees
/// it (<see cref="KeySymbolBudget"/>, answered at once), then the cluster's cap at the upstream singleton, the one place that knows what the
/// cluster carries (<see cref="UpstreamProtocol.Admit"/>). All or nothing: a refused request holds nothing.
/// <para>
/// Fails closed: when the upstream does not answer within <paramref name="timeout"/> (<c>Quotes:AdmissionTimeout</c>; the
/// singleton is moving between nodes), the cluster's cap cannot be checked, so the request is refused with a retryable
/// <c>CAPACITY</c> and the key's budget it took is given back.
/// </para>
/// </summary>
public sealed class SymbolAdmission(KeySymbolBudget budget, IActorRef upstream, TimeSpan timeout)
{
    /// <summary>The longest <c>Quotes:AdmissionTimeout</c> accepted: a client's later commands wait behind an admission.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Null when admitted (the key now holds the symbols), else the refusal for the <c>CAPACITY</c> error.</summary>
    public async Task<string?> AdmitAsync(string keyId, IReadOnlyList<string> symbols)
    {
        if (budget.TryHold(keyId, symbols, DateTime.UtcNow) is { } refusal) return refusal;
        UpstreamProtocol.Admission answer;
        try
        {
            answer = await upstream.Ask<UpstreamProtocol.Admission>(new UpstreamProtocol.Admit(symbols), timeout).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            budget.Release(keyId, symbols);
            if (e is not AskTimeoutException) throw;
            return $"the cluster cannot check its symbol budget right now (no answer within {timeout.TotalSeconds:0.###} s, Quotes:AdmissionTimeout); retry in a few seconds";
        }
        if (answer.Admitted) return null;
        budget.Release(keyId, symbols);
        return $"the server carries its most symbols upstream: {answer.Carried} of {answer.Max} (Polygon:MaxSymbols); symbols already streamed can still be subscribed";
    }

    public void Release(string keyId, IEnumerable<string> symbols) => budget.Release(keyId, symbols);
}
