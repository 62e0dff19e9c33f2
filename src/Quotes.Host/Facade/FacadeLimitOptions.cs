namespace Quotes.Host.Facade;

/// <summary>The façade's REST relay bound in <c>Limits</c>: <c>Limits:MaxFacadeQueryLength</c>, the longest query string relayed.</summary>
public sealed class FacadeLimitOptions
{
    public const string Section = "Limits";

    public int MaxFacadeQueryLength { get; set; } = PolygonRestFacade.DefaultMaxQueryLength;

    public IEnumerable<string> Problems()
    {
        if (MaxFacadeQueryLength is < 1 or > PolygonRestFacade.MaxQueryLengthCeiling)
            yield return $"Limits:MaxFacadeQueryLength must be between 1 and {PolygonRestFacade.MaxQueryLengthCeiling} characters; it is {MaxFacadeQueryLength}";
    }
}
