using System.Text.RegularExpressions;

namespace Quotes.Contracts;

/// <summary>
/// The symbol rules of the client protocol: trimmed, upper-cased, then matched against
/// <c>^[A-Z][A-Z0-9.\-]{0,9}$</c>. Everything that reaches an actor has been through here.
/// </summary>
public static partial class SymbolRules
{
    /// <summary>Most distinct symbols one connection may hold (PROTOCOL.md).</summary>
    public const int MaxPerConnection = 50;

    [GeneratedRegex(@"^[A-Z][A-Z0-9.\-]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Trims and upper-cases <paramref name="raw"/>; true when the result is a valid symbol.</summary>
    public static bool TryNormalize(string? raw, out string symbol)
    {
        symbol = (raw ?? string.Empty).Trim().ToUpperInvariant();
        return IsValid(symbol);
    }

    /// <summary>True when <paramref name="symbol"/> is already in normal form and valid.</summary>
    public static bool IsValid(string symbol) => symbol.Length is > 0 and <= 10 && Pattern().IsMatch(symbol);
}
