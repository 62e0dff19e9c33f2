namespace Quotes.Simulator;

/// <summary>
/// How trading volume spreads over the day, as in US equities: heavy at the open, light at midday, heaviest into the
/// close (the U-shape), a trickle outside the regular session. Pure.
/// </summary>
public static class IntradayVolume
{
    /// <summary>The regular session, 09:30 to 16:00 New York.</summary>
    public static readonly TimeSpan SessionOpen = new(9, 30, 0);
    public static readonly TimeSpan SessionLength = TimeSpan.FromHours(6.5);

    private const double Base = 0.5;
    private const double OpenBurst = 2.0;
    private const double OpenDecay = 0.05;   // of the session: the open's burst fades within about 20 minutes
    private const double CloseBurst = 2.4;
    private const double CloseDecay = 0.04;
    private const double OutsideSession = 0.05;

    /// <summary>The raw curve's mean over the session, so that <see cref="Weight"/> averages 1 there.</summary>
    private static readonly double Mean = Base + OpenBurst * OpenDecay * (1 - Math.Exp(-1 / OpenDecay)) + CloseBurst * CloseDecay * (1 - Math.Exp(-1 / CloseDecay));

    /// <summary>
    /// The rate of trading at <paramref name="newYorkTime"/> relative to the session's average rate: about 3.6 at the
    /// open, 0.7 at midday, 4 at the close, averaging 1 over the session; <see cref="OutsideSession"/> outside it.
    /// </summary>
    public static double Weight(TimeSpan newYorkTime)
    {
        var x = (newYorkTime - SessionOpen) / SessionLength;
        if (x is < 0 or >= 1) return OutsideSession;
        return (Base + OpenBurst * Math.Exp(-x / OpenDecay) + CloseBurst * Math.Exp(-(1 - x) / CloseDecay)) / Mean;
    }

    /// <summary>The volume expected in a window of <paramref name="window"/> ending at <paramref name="newYorkTime"/>, for a symbol trading <paramref name="dailyVolume"/> a day.</summary>
    public static double Expected(long dailyVolume, TimeSpan newYorkTime, TimeSpan window) =>
        dailyVolume * (window / SessionLength) * Weight(newYorkTime);
}
