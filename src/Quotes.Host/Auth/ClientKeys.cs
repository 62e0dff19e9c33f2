using Microsoft.Extensions.Options;
using Quotes.Host.Composition;

namespace Quotes.Host.Auth;

/// <summary>
/// The client keys in force (<c>Auth:ApiKeys</c>), checked in constant time (<see cref="ApiKeyValidator"/>). The one place
/// that knows them: the authentication scheme, the Polygon socket's in-protocol <c>auth</c> and the OpenAPI document ask here.
/// <para>
/// They follow the configuration without a restart (<see cref="IOptionsMonitor{TOptions}"/>): a key added is accepted from
/// the reload on, a key removed is refused from then on (sockets it opened stay until they close). A reload that would
/// leave no key, or a key under <see cref="AuthSetup.MinKeyLength"/> characters, is refused whole and logged; the keys in
/// force stay. A new key is added to the log redactor before it is accepted.
/// </para>
/// </summary>
public sealed class ClientKeys : IDisposable
{
    private readonly SecretRedactor _secrets;
    private readonly ILogger<ClientKeys> _log;
    private readonly IDisposable? _subscription;
    private volatile Snapshot _current;

    private sealed record Snapshot(string[] Keys, ApiKeyValidator Validator);

    public ClientKeys(AuthOptions initial, IOptionsMonitor<AuthOptions> configured, SecretRedactor secrets, ILogger<ClientKeys> log)
    {
        _secrets = secrets;
        _log = log;
        _current = new Snapshot(initial.ApiKeys, new ApiKeyValidator(initial.ApiKeys));
        _subscription = configured.OnChange(Reload);
        Reload(configured.CurrentValue); // a reload before the first request that needed a key created this
    }

    public bool IsValid(string? key) => _current.Validator.IsValid(key);

    /// <summary>The key's id for logs (<see cref="ApiKeyValidator.IdOf"/>).</summary>
    public string IdOf(string? key) => _current.Validator.IdOf(key);

    /// <summary>Who a valid key is, for limits and logs; null for a key that is not one of ours.</summary>
    public ClientIdentity? IdentityOf(string? key) =>
        _current.Validator.IdOf(key) is ['#', ..] id ? new ClientIdentity(Quotes.Host.WebSockets.ConnectionLimiter.KeyId(key!), id) : null;

    private void Reload(AuthOptions configured)
    {
        var keys = configured.ApiKeys;
        var current = _current;
        if (keys.Length == 0)
        {
            // Unset at start means a generated key; unset later would lock every client out, which no edit should do by accident.
            if (!configured.Generated) _log.LogWarning("Auth:ApiKeys is empty after a configuration reload; the {Count} keys in force stay", current.Keys.Length);
            return;
        }
        if (keys.SequenceEqual(current.Keys, StringComparer.Ordinal)) return; // another section changed
        if (keys.FirstOrDefault(k => k.Length < AuthSetup.MinKeyLength) is { } shortKey)
        {
            _log.LogError("Auth:ApiKeys after a configuration reload holds a key of {Length} characters, under {Min}; the reload is refused and the {Count} keys in force stay",
                shortKey.Length, AuthSetup.MinKeyLength, current.Keys.Length);
            return;
        }
        foreach (var key in keys) _secrets.Add(key);
        _current = new Snapshot(keys, new ApiKeyValidator(keys));
        _log.LogInformation("Client keys reloaded: {Count} in force ({Added} added, {Removed} removed)",
            keys.Length, keys.Except(current.Keys, StringComparer.Ordinal).Count(), current.Keys.Except(keys, StringComparer.Ordinal).Count());
    }

    public void Dispose() => _subscription?.Dispose();
}
