namespace Quotes.Simulator;

/// <summary>
/// A connection that has closed, kept (the last 100) so a test can measure how long two connections of one account
/// overlapped and check that a client turned away went quiet. Times are Unix milliseconds; the account is a number
/// (<see cref="ConnectionReport.Account"/>), never the key.
/// </summary>
/// <param name="Id">The connection's id, as in <see cref="ConnectionReport.Id"/> while it was open.</param>
/// <param name="Account">Its key's index in <see cref="SimulatorOptions.ApiKeys"/> (unlisted keys numbered after them); null if it never authenticated.</param>
/// <param name="OpenedAt">When the WebSocket was accepted.</param>
/// <param name="AuthenticatedAt">When it first got <c>auth_success</c>; null if never.</param>
/// <param name="EvictedAt">When it was sent <c>max_connections</c> (or closed silently for it); null if not evicted.</param>
/// <param name="ClosedAt">When the simulator was done with it: close handshake finished or link broken.</param>
/// <param name="End">How it ended.</param>
/// <param name="Actions">Messages the client sent, the <c>auth</c> included (malformed ones too).</param>
/// <param name="ActionsAfterAuth">Of those, the ones after its first <c>auth_success</c>.</param>
/// <param name="ActionsAfterEviction">Of those, the ones after its eviction: a well-behaved client sends none.</param>
/// <param name="LastActionAt">When its last message arrived; null if it sent none.</param>
public sealed record ClosedConnectionReport(int Id, int? Account, long OpenedAt, long? AuthenticatedAt, long? EvictedAt, long ClosedAt,
    ConnectionEnd End, int Actions, int ActionsAfterAuth, int ActionsAfterEviction, long? LastActionAt);
