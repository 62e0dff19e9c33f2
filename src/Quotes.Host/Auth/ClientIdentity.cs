using System.Security.Claims;

namespace Quotes.Host.Auth;

/// <summary>
/// Who an authenticated client is, as the per-key limits and the logs need it: <see cref="BudgetId"/> (a hash) counts its
/// sockets, symbols and requests; <see cref="LogId"/> names it in logs. Carried as claims of the request's user, whichever
/// scheme authenticated it.
/// </summary>
public sealed record ClientIdentity(string BudgetId, string LogId)
{
    public ClaimsIdentity ToClaims(string scheme) =>
        new([new Claim(QuotesAuth.BudgetIdClaim, BudgetId), new Claim(QuotesAuth.LogIdClaim, LogId)], scheme);

    /// <summary>The identity of an authenticated user; null for a user no client scheme authenticated.</summary>
    public static ClientIdentity? Of(ClaimsPrincipal user) =>
        user.FindFirst(QuotesAuth.BudgetIdClaim)?.Value is { } budget && user.FindFirst(QuotesAuth.LogIdClaim)?.Value is { } log
            ? new ClientIdentity(budget, log)
            : null;
}
