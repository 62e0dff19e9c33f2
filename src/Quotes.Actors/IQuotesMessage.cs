namespace Quotes.Actors;

/// <summary>
/// Marks messages that may cross nodes. They are bound in code (<see cref="Cluster.QuotesSerialization"/>, which every node
/// and the serializer specs use) to <see cref="Cluster.QuotesSerializer"/>, a compact versioned Protocol Buffers format,
/// never the JSON fallback: upstream events and quote updates travel per tick, and old and new nodes read each other's
/// messages during a rolling upgrade. A new one needs a wire message and a manifest there.
/// </summary>
public interface IQuotesMessage;
