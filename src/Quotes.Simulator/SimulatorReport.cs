namespace Quotes.Simulator;

/// <summary>What the simulator has seen, for tests and the control endpoint.</summary>
/// <param name="ConnectionsOpened">WebSocket connections ever accepted.</param>
/// <param name="Connections">Connections open now, with the channels each holds.</param>
/// <param name="Actions">Actions received in order: <c>auth</c> (never the key), <c>subscribe A.AAPL</c>, <c>unsubscribe A.AAPL</c>, one per channel.</param>
/// <param name="RestCalls">
/// REST requests served (or failed on purpose) per path, without the query; past the first 10,000 paths, a new one per
/// route (<see cref="MarketSimulator.RestCalls"/>).
/// </param>
/// <param name="Evictions">Connections turned away with <c>max_connections</c>, by the account rule or a fault.</param>
/// <param name="RecentlyClosed">The last 100 connections that closed, oldest first.</param>
public sealed record SimulatorReport(int ConnectionsOpened, IReadOnlyList<ConnectionReport> Connections, IReadOnlyList<string> Actions,
    IReadOnlyDictionary<string, int> RestCalls, int Evictions, IReadOnlyList<ClosedConnectionReport> RecentlyClosed);

/// <summary>An open connection. Times are Unix milliseconds.</summary>
/// <param name="Id">Numbered from 1 in the order accepted.</param>
/// <param name="Authenticated">Authenticated and not evicted: the clock sends it data.</param>
/// <param name="Channels">The channels it holds.</param>
/// <param name="OpenedAt">When the WebSocket was accepted.</param>
/// <param name="AuthenticatedAt">When it first got <c>auth_success</c>; null if never.</param>
/// <param name="Account">Its key's index in <see cref="SimulatorOptions.ApiKeys"/> (an unlisted key numbered after them, the same while any of its connections is open: <see cref="AccountIds"/>); never the key.</param>
/// <param name="Actions">Messages the client sent, the <c>auth</c> included.</param>
/// <param name="ActionsAfterAuth">Of those, the ones after its first <c>auth_success</c>.</param>
/// <param name="LastActionAt">When its last message arrived; null if it sent none.</param>
/// <param name="EvictedAt">When it was turned away; it is open only until its close handshake ends.</param>
public sealed record ConnectionReport(int Id, bool Authenticated, IReadOnlyList<string> Channels,
    long OpenedAt, long? AuthenticatedAt, int? Account, int Actions, int ActionsAfterAuth, long? LastActionAt, long? EvictedAt);
