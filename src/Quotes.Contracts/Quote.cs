using System.Text.Json.Serialization;

namespace Quotes.Contracts;

/// <summary>
/// The <c>quote</c> message: a symbol's state after one update (PROTOCOL.md, "quote fields").
/// Also the REST quote object, where <see cref="Source"/> says where it came from.
/// </summary>
public sealed record Quote
{
    [JsonPropertyOrder(-1)] public string Type => "quote";
    public required string Symbol { get; init; }
    public required decimal Price { get; init; }
    public decimal? PreviousPrice { get; init; }
    public decimal? Change { get; init; }
    public decimal? ChangePercent { get; init; }
    public decimal? PreviousClose { get; init; }
    public decimal? Open { get; init; }
    public decimal? High { get; init; }
    public decimal? Low { get; init; }
    public long Volume { get; init; }
    public decimal? Vwap { get; init; }
    public long Timestamp { get; init; }
    public long Seq { get; init; }

    /// <summary>The open of the aggregate window this quote was made from (its close is <see cref="Price"/>, its end <see cref="Timestamp"/>); null on a quote not made from one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? BarOpen { get; init; }

    /// <summary>The high of the aggregate window; null on a quote not made from one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? BarHigh { get; init; }

    /// <summary>The low of the aggregate window; null on a quote not made from one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? BarLow { get; init; }

    /// <summary>The volume traded in the aggregate window; null on a quote not made from one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BarVolume { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Snapshot { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }
}
