using Quotes.Actors;
using Quotes.Actors.Sessions;
using Quotes.Host.Facade;
using Quotes.Host.WebSockets;

namespace Quotes.Host.Composition;

/// <summary>
/// What the <c>Quotes</c> section must satisfy for the node to start: the client limits (<see cref="QuotesOptions.Problems"/>),
/// the bounds of the admission and façade auth timeouts, and a lease that outlives a missed renewal.
/// </summary>
public static class QuotesOptionsChecks
{
    public static IEnumerable<string> Problems(QuotesOptions settings)
    {
        foreach (var problem in settings.Problems()) yield return problem;
        if (settings.AdmissionTimeout <= TimeSpan.Zero || settings.AdmissionTimeout > SymbolAdmission.MaxTimeout)
            yield return $"Quotes:AdmissionTimeout must be more than 0 and at most {SymbolAdmission.MaxTimeout.TotalSeconds} s; it is {settings.AdmissionTimeout}";
        if (settings.FacadeAuthTimeout <= TimeSpan.Zero || settings.FacadeAuthTimeout > PolygonSocketEndpoint.MaxAuthTimeout)
            yield return $"Quotes:FacadeAuthTimeout must be more than 0 and at most {PolygonSocketEndpoint.MaxAuthTimeout.TotalSeconds} s; it is {settings.FacadeAuthTimeout}";
        // A lease no longer than two renewals would lapse on one late renewal, and interest in a watched symbol would flap.
        if (settings.LeaseDuration <= 2 * settings.RenewInterval)
            yield return $"Quotes:LeaseDuration must be more than twice Quotes:RenewInterval (a lease must survive a missed renewal); it is {settings.LeaseDuration} with a renew interval of {settings.RenewInterval}";
    }
}
