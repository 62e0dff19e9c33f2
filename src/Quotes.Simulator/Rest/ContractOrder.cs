using System.Diagnostics.CodeAnalysis;

namespace Quotes.Simulator.Rest;

/// <summary>
/// The order Polygon's option endpoints list contracts in: <c>sort</c> by <c>ticker</c> (the default),
/// <c>underlying_ticker</c>, <c>expiration_date</c> or <c>strike_price</c>, ties by ticker; <c>order</c> <c>asc</c> (the
/// default) or <c>desc</c>. Any other value is a 400, as Polygon answers it.
/// </summary>
internal readonly record struct ContractOrder(string Sort, bool Descending)
{
    public static bool TryFrom(IQueryCollection query, out ContractOrder order, [NotNullWhen(false)] out IResult? error)
    {
        var sort = query["sort"].ToString() is "" ? "ticker" : query["sort"].ToString();
        var direction = query["order"].ToString() is "" ? "asc" : query["order"].ToString();
        order = new ContractOrder(sort, direction == "desc");
        error = sort is not ("ticker" or "underlying_ticker" or "expiration_date" or "strike_price")
            ? PolygonRest.Error(400, "ERROR", "sort must be ticker, underlying_ticker, expiration_date or strike_price.")
            : direction is not ("asc" or "desc") ? PolygonRest.Error(400, "ERROR", "order must be asc or desc.") : null;
        return error is null;
    }

    /// <summary><paramref name="items"/> in this order, each read as the contract <paramref name="contract"/> gives.</summary>
    public IEnumerable<T> Apply<T>(IEnumerable<T> items, Func<T, OptionChain.Contract> contract)
    {
        var ordered = Sort switch
        {
            "expiration_date" => items.OrderBy(i => contract(i).Expiry).ThenBy(i => contract(i).Ticker, StringComparer.Ordinal),
            "strike_price" => items.OrderBy(i => contract(i).Strike).ThenBy(i => contract(i).Ticker, StringComparer.Ordinal),
            _ => items.OrderBy(i => contract(i).Ticker, StringComparer.Ordinal), // one underlying: its ticker order is the contracts'
        };
        return Descending ? ordered.Reverse() : ordered;
    }
}
