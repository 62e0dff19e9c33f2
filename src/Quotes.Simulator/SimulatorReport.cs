namespace Quotes.Simulator;

/// <summary>What the simulator has seen, for tests and the control endpoint.</summary>
/// <param name="ConnectionsOpened">WebSocket connections ever accepted.</param>
/// <param name="Connections">Connections open now, with the channels each holds.</param>
/// <param name="Actions">Actions received in order: <c>auth</c> (never the key), <c>subscribe A.AAPL</c>, <c>unsubscribe A.AAPL</c>, one per channel.</param>
/// <param name="RestCalls">REST requests served (or failed on purpose) per path, without the query.</param>
public sealed record SimulatorReport(int ConnectionsOpened, IReadOnlyList<ConnectionReport> Connections, IReadOnlyList<string> Actions,
    IReadOnlyDictionary<string, int> RestCalls);

public sealed record ConnectionReport(int Id, bool Authenticated, IReadOnlyList<string> Channels);
