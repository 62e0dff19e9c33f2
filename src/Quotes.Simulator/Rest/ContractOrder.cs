using System.Diagnostics.CodeAnalysis;

namespace Quotes.Simulator.Rest;

/// <summary>
/// The order Polygon's option endpoints list contracts in: <c>sort</c> by <c>ticker</c> (the default),
/// <c>expiration_date</c> or <c>strike_price</c> (the contract list also by <c>underlying_ticker</c>), ties by ticker;
/// <c>order</c> <c>asc</c> (the default) or <c>desc</c>. Any other value is a 400, as Polygon answers it.
/// </summary>
internal readonly record struct ContractOrder(string Sort, bool Descending)
{
    /// <summary>The chain snapshot's sort fields.</summary>
    public static readonly string[] ChainSorts = ["ticker", "expiration_date", "strike_price"];

    /// <summary>The contract list's sort fields.</summary>
    public static readonly string[] ContractSorts = [.. ChainSorts, "underlying_ticker"];

    public static bool TryFrom(IQueryCollection query, string[] sorts, out ContractOrder order, [NotNullWhen(false)] out IResult? error)
    {
        order = default;
        if (!PolygonRest.TryChoice(query, "sort", sorts, out var sort, out error) || !PolygonRest.TryChoice(query, "order", PolygonRest.Directions, out var direction, out error))
            return false;
        order = new ContractOrder(sort, direction == "desc");
        return true;
    }

    /// <summary><paramref name="items"/> in this order, each read as the contract <paramref name="contract"/> gives.</summary>
    public IEnumerable<T> Apply<T>(IEnumerable<T> items, Func<T, OptionChain.Contract> contract)
    {
        var ordered = Sort switch
        {
            "expiration_date" => items.OrderBy(i => contract(i).Expiry).ThenBy(i => contract(i).Ticker, StringComparer.Ordinal),
            "strike_price" => items.OrderBy(i => contract(i).Strike).ThenBy(i => contract(i).Ticker, StringComparer.Ordinal),
            "underlying_ticker" => items.OrderBy(i => contract(i).Underlying, StringComparer.Ordinal).ThenBy(i => contract(i).Ticker, StringComparer.Ordinal),
            _ => items.OrderBy(i => contract(i).Ticker, StringComparer.Ordinal),
        };
        return Descending ? ordered.Reverse() : ordered;
    }
}
