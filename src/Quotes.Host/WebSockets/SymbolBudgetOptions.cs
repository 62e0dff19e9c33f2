namespace Quotes.Host.WebSockets;

/// <summary>
/// Each client key's symbol budget (<see cref="Quotes.Actors.Sessions.KeySymbolBudget"/>) in <c>Limits</c>:
/// <c>Limits:MaxSymbolsPerKey</c> held at once over all its connections, <c>Limits:NewSymbolsPerKeyPerMinute</c> new ones.
/// </summary>
public sealed class SymbolBudgetOptions
{
    public const string Section = "Limits";

    public int MaxSymbolsPerKey { get; set; } = 1_000;
    public int NewSymbolsPerKeyPerMinute { get; set; } = 1_000;

    /// <summary>Below 1 every symbol would be refused (and a rate of 0 would promise a retry in infinitely many seconds).</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxSymbolsPerKey < 1) yield return $"Limits:MaxSymbolsPerKey must be at least 1; it is {MaxSymbolsPerKey}";
        if (NewSymbolsPerKeyPerMinute < 1) yield return $"Limits:NewSymbolsPerKeyPerMinute must be at least 1; it is {NewSymbolsPerKeyPerMinute}";
    }
}
