namespace Quotes.Client;

/// <summary>
/// The pace a connection sends its commands at: <see cref="Burst"/> at once, then <see cref="PerSecond"/> a second. A quarter
/// below the budget the server announces in its <c>welcome</c> (<c>commandsPerSecond</c>, <c>commandBurst</c>; past it the
/// server answers <c>RATE_LIMITED</c>, and closes a connection that goes on with 1008): it counts commands as they reach it,
/// so frames bunched up on the way must still fit. A server that announces none allows 20 a second and bursts of 40.
/// </summary>
internal sealed record CommandBudget(double PerSecond, int Burst)
{
    /// <summary>Three quarters of the protocol's 20 a second and 40 at once: the pace until (or unless) a welcome says otherwise.</summary>
    public static readonly CommandBudget Default = new(15, 30);

    private const double Margin = 0.75;

    /// <summary>The pace under the budget a welcome announced; <see cref="Default"/>'s for a value it left out or that makes no sense.</summary>
    public static CommandBudget Under(double? perSecond, int? burst) => new(
        perSecond is { } rate && double.IsFinite(rate) && rate > 0 ? rate * Margin : Default.PerSecond,
        burst is >= 1 and var b ? Math.Max(1, (int)(b * Margin)) : Default.Burst);
}
