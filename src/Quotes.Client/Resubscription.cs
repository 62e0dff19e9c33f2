using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// The subscribe a new connection sends for every held symbol, and what to do when the server refuses it (whole, as it
/// refuses any subscribe). <c>CAPACITY</c> (the budget cannot be checked while the upstream moves between nodes, or the
/// key's new symbols per minute are spent), <c>INTERNAL</c> and <c>RATE_LIMITED</c> can be answered differently a little
/// later: left alone, the symbols would stay listed with ever older quotes and no new ones until the next reconnect, so
/// the client asks again on the same connection, with capped backoff, while symbols are held. <c>INVALID_SYMBOL</c> and
/// <c>SYMBOL_LIMIT</c> would only be refused again, and are reported alone. One per connection.
/// </summary>
internal sealed class Resubscription(ReconnectBackoff backoff)
{
    private long _id;

    /// <summary>The id of the resubscribe last sent on this connection (0: none yet).</summary>
    public long Id => Interlocked.Read(ref _id);

    public void Sent(long id) => Interlocked.Exchange(ref _id, id);

    /// <summary>True when a request refused with <paramref name="code"/> may succeed if sent again later.</summary>
    public static bool IsWorthRetrying(string code) => code is ErrorCodes.Capacity or ErrorCodes.Internal or ErrorCodes.RateLimited;

    /// <summary>
    /// The server refused the resubscribe with <paramref name="code"/> at <paramref name="at"/>: how long to wait before
    /// sending it again (each refusal one backoff step longer), or null when sending it again cannot help. The receive
    /// loop alone calls it.
    /// </summary>
    public TimeSpan? Refused(string code, TimeSpan at) => IsWorthRetrying(code) ? backoff.Next(at) : null;
}
