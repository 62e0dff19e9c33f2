namespace Quotes.Actors;

/// <summary>
/// Marks messages that may cross nodes. They are bound to <see cref="Cluster.QuotesSerializer"/> (hocon/quotes.hocon), a
/// compact binary format, never the JSON fallback: upstream events and quote updates travel per tick.
/// </summary>
public interface IQuotesMessage;
