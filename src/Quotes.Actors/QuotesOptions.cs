namespace Quotes.Actors;

/// <summary>
/// Timings of the data path, bound from the <c>Quotes</c> configuration section. Defaults suit production;
/// tests shorten them so that leases, lingers and backoffs play out in seconds.
/// </summary>
public sealed record QuotesOptions
{
    /// <summary>How often a hub renews its interest in a symbol, and an entity its want at the upstream.</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An interest or want not renewed for this long is forgotten (four missed renewals).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long the upstream keeps a symbol subscribed after its last want, so reconnecting clients cause no churn.</summary>
    public TimeSpan UpstreamLinger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An entity with no interest for this long passivates.</summary>
    public TimeSpan IdleEntityAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection must stay healthy this long before the backoff resets: a connection Polygon evicts right after auth must not reset it.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upstream WebSocket ping period; a ping goes out only when nothing was received for this long.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>After a ping, a pong must arrive within this long or the connection is dropped and re-opened.</summary>
    public TimeSpan LivenessTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Wait between attempts while Polygon refuses the key (<c>auth_failed</c>); at least a minute by default.</summary>
    public TimeSpan AuthRetry { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait after a connection-limit eviction, so two processes sharing a key do not evict each other in a hot loop.</summary>
    public TimeSpan EvictionCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A close this soon after <c>auth_success</c> is taken for an eviction even without a <c>max_connections</c> frame.</summary>
    public TimeSpan EvictionWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A Polygon-protocol client (<c>/polygon/stocks</c>) that has not authenticated this long gets <c>auth_timeout</c> and a
    /// close. At most 5 s: until then the socket holds a pre-auth slot, and the shorter it is held the less an attacker holds.
    /// </summary>
    public TimeSpan FacadeAuthTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed <c>auth</c> actions a façade socket may send; the last one is answered, then the socket is closed with 1008.</summary>
    public int FacadeAuthAttempts { get; init; } = 3;

    /// <summary>
    /// How long a subscribe that adds symbols waits for the upstream singleton to admit them against <c>Polygon:MaxSymbols</c>.
    /// Past it (the singleton is moving between nodes) the subscribe is refused with a retryable <c>CAPACITY</c>: the cap never fails open.
    /// </summary>
    public TimeSpan AdmissionTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A client that accepts nothing for this long while data is pending is disconnected (PROTOCOL.md: 30 s).</summary>
    public TimeSpan ClientSendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The kernel send buffer of each client WebSocket, in bytes (SO_SNDBUF; Linux books twice this, half for its own
    /// overhead). Left to the kernel, it grows to megabytes (tcp_wmem), and a slow reader's quotes queue there, oldest
    /// first, for minutes: the node's newest-quote-wins outbox and <see cref="ClientSendTimeout"/> only act once a send
    /// blocks. 32 KiB holds a few bursts of 50 quotes; a client 200 ms away still gets over 150 KB/s. 0: the kernel's own.
    /// </summary>
    public int ClientSendBufferBytes { get; init; } = DefaultClientSendBufferBytes;

    public const int DefaultClientSendBufferBytes = 32 * 1024;

    /// <summary>The bounds of <see cref="ClientSendBufferBytes"/> other than 0: a frame of 50 quotes, and far past any need.</summary>
    public const int MinClientSendBufferBytes = 16 * 1024, MaxClientSendBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// How long the node's hub gathers a burst, from its first quote, before it wakes the clients' writers: what arrives
    /// meanwhile (on a cluster, the same burst from the entities on the other nodes) leaves in the same frame, so fewer,
    /// larger frames (fewer syscalls, less CPU per quote) at the cost of this much added latency. One timer per burst
    /// per node, none per client. Zero: wake the writers as soon as the hub's batch is offered.
    /// </summary>
    public TimeSpan SendCoalescing { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Commands a client connection may send per second (and in a burst); past that: <c>RATE_LIMITED</c>.</summary>
    public double CommandsPerSecond { get; init; } = 20;

    public int CommandBurst { get; init; } = 40;

    /// <summary>Refused commands in a row after which the connection is closed with 1008: sustained abuse, not a burst.</summary>
    public int AbuseThreshold { get; init; } = 100;

    /// <summary>
    /// While the market is open and symbols are subscribed, an upstream connection that carried no aggregate for this long is
    /// stale: clients are told <c>upstream: "stale"</c> and it is replaced. Outside market hours silence is normal.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gives up on a connect or auth handshake after this long.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed <c>auth</c> actions a façade socket may send at most: beyond it a socket would guess keys unbounded.</summary>
    public const int MaxFacadeAuthAttempts = 100;

    /// <summary>What is wrong with the client limits; empty when nothing is. The node refuses to start otherwise.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FacadeAuthAttempts is < 1 or > MaxFacadeAuthAttempts)
            problems.Add($"Quotes:FacadeAuthAttempts must be from 1 to {MaxFacadeAuthAttempts}; it is {FacadeAuthAttempts}");
        if (!double.IsFinite(CommandsPerSecond) || CommandsPerSecond <= 0)
            problems.Add($"Quotes:CommandsPerSecond must be more than 0 (0 would refuse every command); it is {CommandsPerSecond}");
        if (StaleAfter < TimeSpan.FromSeconds(1))
            problems.Add($"Quotes:StaleAfter must be at least 1 second (a live feed may be quiet for a moment); it is {StaleAfter}");
        if (CommandBurst < 1)
            problems.Add($"Quotes:CommandBurst must be at least 1; it is {CommandBurst}");
        if (ClientSendBufferBytes != 0 && ClientSendBufferBytes is < MinClientSendBufferBytes or > MaxClientSendBufferBytes)
            problems.Add($"Quotes:ClientSendBufferBytes must be 0 (the kernel's own) or from {MinClientSendBufferBytes} to {MaxClientSendBufferBytes}; it is {ClientSendBufferBytes}");
        return problems;
    }
}
