namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Whom a provider call is made for, so that <see cref="ProviderRateLimiter"/> charges it to the right share of the node's
/// budget: a client key, named by its id (<c>#0</c>, never the key), or the server itself (the upstream's refills after a
/// reconnect, entities loading their day). It rides on the request (<see cref="Option"/>) through the resilience pipeline,
/// so that each retry is charged to the same caller.
/// </summary>
public readonly record struct ProviderCaller(string? KeyId)
{
    /// <summary>The server's own calls, which no client flood may starve.</summary>
    public static ProviderCaller Server => default;

    public static ProviderCaller Client(string keyId) => new(keyId);

    public bool IsServer => KeyId is null;

    /// <summary>Where a provider request carries its caller.</summary>
    public static readonly HttpRequestOptionsKey<ProviderCaller> Option = new("quotes.provider-caller");

    public override string ToString() => KeyId is null ? "server" : "key " + KeyId;
}
