namespace Quotes.Actors.Outbox;

/// <summary>
/// What this node's client outboxes hold right now: quotes waiting (at most one per held symbol per client),
/// control replies waiting, the largest single backlog, and the quotes replaced by newer ones before they were sent
/// (summed over the clients connected now).
/// </summary>
public sealed record OutboxBacklog(long PendingQuotes, long PendingControl, int LargestOutbox, long Conflated);
