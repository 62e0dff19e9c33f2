using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Quotes.Host.Auth;

/// <summary>
/// Checks client keys in constant time: every candidate is hashed and compared with every known key's hash using
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither length nor prefix leaks through timing.
/// </summary>
public sealed class ApiKeyValidator(IEnumerable<string> keys)
{
    private readonly byte[][] _hashes = keys.Select(Hash).ToArray();

    public bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var candidate = Hash(key);
        var match = false;
        foreach (var hash in _hashes) match |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        return match;
    }

    /// <summary>
    /// A client key's id for logs: its position in <c>Auth:ApiKeys</c> (<c>#0</c>, <c>#1</c>, …), never the key;
    /// <c>invalid</c> for a key that is not configured, <c>none</c> without one.
    /// </summary>
    public string IdOf(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "none";
        var candidate = Hash(key);
        var found = -1;
        for (var i = 0; i < _hashes.Length; i++)
            if (CryptographicOperations.FixedTimeEquals(candidate, _hashes[i]) && found < 0) found = i;
        return found < 0 ? "invalid" : "#" + found;
    }

    /// <summary>The key a request carries: <c>Authorization: Bearer</c>, then <c>X-API-Key</c>, then <c>?apiKey=</c>.</summary>
    public static string? KeyOf(HttpRequest request) =>
        HeaderKeyOf(request) ?? (request.Query.TryGetValue("apiKey", out var query) ? query.ToString() : null);

    /// <summary>
    /// The key from the headers only (<c>Authorization: Bearer</c> or <c>X-API-Key</c>). The admin key is taken only from
    /// there: a key in a URL ends up in proxy logs, browser history and Referer headers.
    /// </summary>
    public static string? HeaderKeyOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (request.Headers.TryGetValue("X-API-Key", out var header) && !StringValues.IsNullOrEmpty(header)) return header.ToString();
        return null;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
