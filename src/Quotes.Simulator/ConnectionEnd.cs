using System.Text.Json.Serialization;

namespace Quotes.Simulator;

/// <summary>How a simulator connection ended, so a test can tell an eviction from a client that left or a broken link.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionEnd>))]
public enum ConnectionEnd
{
    /// <summary>The client sent its close frame first.</summary>
    ClientClosed,

    /// <summary>Turned away with <c>max_connections</c> (the account rule or <see cref="SimulatorFaults.EvictAfterAuth"/>) and closed with 1008.</summary>
    Evicted,

    /// <summary>Fell too far behind: <c>slow consumer</c>, closed with 1008.</summary>
    SlowConsumer,

    /// <summary>The link broke without a close handshake: a drop, a client that vanished, the simulator stopping.</summary>
    Aborted,
}
