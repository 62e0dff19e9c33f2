namespace Quotes.Host.Auth;

/// <summary>
/// The client keys in force (<c>Auth:ApiKeys</c>), checked in constant time (<see cref="ApiKeyValidator"/>). The one place
/// that knows them: the authentication scheme, the Polygon socket's in-protocol <c>auth</c> and the OpenAPI document ask here.
/// </summary>
public sealed class ClientKeys(AuthOptions options)
{
    private readonly ApiKeyValidator _current = new(options.ApiKeys);

    public bool IsValid(string? key) => _current.IsValid(key);

    /// <summary>The key's id for logs (<see cref="ApiKeyValidator.IdOf"/>).</summary>
    public string IdOf(string? key) => _current.IdOf(key);

    /// <summary>Who a valid key is, for limits and logs; null for a key that is not one of ours.</summary>
    public ClientIdentity? IdentityOf(string? key) =>
        _current.IdOf(key) is ['#', ..] id ? new ClientIdentity(Quotes.Host.WebSockets.ConnectionLimiter.KeyId(key!), id) : null;
}
