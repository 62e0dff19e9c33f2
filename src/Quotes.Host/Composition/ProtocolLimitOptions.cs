using Quotes.Contracts;

namespace Quotes.Host.Composition;

/// <summary>
/// The client protocol's limits as settings under <c>Limits:</c>: each defaults to the contract (<see cref="ProtocolLimits"/>)
/// and may only be lowered, down to the floors in <see cref="ProtocolLimitsSetup"/>; the close-handshake wait may be
/// raised too.
/// </summary>
public sealed class ProtocolLimitOptions
{
    public const string Section = "Limits";

    public int MaxFrameBytes { get; set; } = ProtocolLimits.ContractFrameBytes;
    public int MaxJsonDepth { get; set; } = ProtocolLimits.ContractJsonDepth;
    public int MaxFacadeJsonDepth { get; set; } = ProtocolLimits.ContractFacadeJsonDepth;
    public int MaxSymbolsPerConnection { get; set; } = SymbolRules.MaxPerConnection;
    public int MaxPendingReplies { get; set; } = ProtocolLimits.ContractPendingReplies;
    public TimeSpan PingInterval { get; set; } = ProtocolLimits.ContractPingInterval;
    public TimeSpan PongTimeout { get; set; } = ProtocolLimits.ContractPongTimeout;
    public TimeSpan CloseHandshakeTimeout { get; set; } = ProtocolLimits.DefaultCloseHandshakeTimeout;

    /// <summary>Each limit outside its range, named with its setting; empty when none is.</summary>
    public IEnumerable<string> Problems() => new[]
    {
        Range("Limits:MaxFrameBytes", MaxFrameBytes, ProtocolLimitsSetup.MinFrameBytes, ProtocolLimits.ContractFrameBytes),
        // /ws commands nest an array in an object; façade actions are a flat object.
        Range("Limits:MaxJsonDepth", MaxJsonDepth, 2, ProtocolLimits.ContractJsonDepth),
        Range("Limits:MaxFacadeJsonDepth", MaxFacadeJsonDepth, 1, ProtocolLimits.ContractFacadeJsonDepth),
        Range("Limits:MaxSymbolsPerConnection", MaxSymbolsPerConnection, 1, SymbolRules.MaxPerConnection),
        Range("Limits:MaxPendingReplies", MaxPendingReplies, ProtocolLimitsSetup.MinPendingReplies, ProtocolLimits.ContractPendingReplies),
        Range("Limits:PingInterval", PingInterval, ProtocolLimitsSetup.MinKeepAlive, ProtocolLimits.ContractPingInterval),
        Range("Limits:PongTimeout", PongTimeout, ProtocolLimitsSetup.MinKeepAlive, ProtocolLimits.ContractPongTimeout),
        Range("Limits:CloseHandshakeTimeout", CloseHandshakeTimeout, ProtocolLimitsSetup.MinCloseHandshakeTimeout, ProtocolLimitsSetup.MaxCloseHandshakeTimeout),
    }.OfType<string>();

    public ProtocolLimits ToLimits() => new(MaxFrameBytes, MaxJsonDepth, MaxFacadeJsonDepth, MaxSymbolsPerConnection, MaxPendingReplies,
        PingInterval, PongTimeout, CloseHandshakeTimeout);

    private static string? Range<T>(string setting, T value, T min, T max) where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0 ? null : $"{setting} must be from {min} to {max}; it is {value}";
}
