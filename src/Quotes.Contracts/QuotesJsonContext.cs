using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quotes.Contracts;

/// <summary>The one JSON context for the client protocol: camelCase, source-generated, no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Quote))]
[JsonSerializable(typeof(ServerMessages.Welcome))]
[JsonSerializable(typeof(ServerMessages.Status))]
[JsonSerializable(typeof(ServerMessages.Subscribed))]
[JsonSerializable(typeof(ServerMessages.Unsubscribed))]
[JsonSerializable(typeof(ServerMessages.Pong))]
[JsonSerializable(typeof(ServerMessages.Error))]
[JsonSerializable(typeof(RestError))]
[JsonSerializable(typeof(RestSuccess<Quote>))]
[JsonSerializable(typeof(RestSuccess<Quote[]>))]
[JsonSerializable(typeof(RestSuccess<HistoricalBars>))]
[JsonSerializable(typeof(RestSuccess<TickerMatch[]>))]
[JsonSerializable(typeof(RestSuccess<MarketStatusData>))]
[JsonSerializable(typeof(RestSuccess<OptionContractData[]>))]
[JsonSerializable(typeof(RestSuccess<string[]>))]
[JsonSerializable(typeof(RestSuccess<ClusterReport>))]
[JsonSerializable(typeof(RestSuccess<WireReport>))]
public sealed partial class QuotesJsonContext : JsonSerializerContext;
