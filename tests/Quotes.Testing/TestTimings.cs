namespace Quotes.Testing;

/// <summary>
/// The shortened timings every in-process test host runs with, so that leases, lingers, backoffs and keep-alives play out
/// in seconds. A test's own settings override them.
/// </summary>
public static class TestTimings
{
    public static Dictionary<string, string?> With(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Quotes:RenewInterval"] = "00:00:00.500",
            ["Quotes:LeaseDuration"] = "00:00:03",
            ["Quotes:UpstreamLinger"] = "00:00:00",
            ["Quotes:MinBackoff"] = "00:00:00.100",
            ["Quotes:MaxBackoff"] = "00:00:01",
            ["Quotes:EvictionCooldown"] = "00:00:03",
            ["Quotes:AuthRetry"] = "00:00:02",
            ["Quotes:PingInterval"] = "00:00:00.300",
            ["Quotes:LivenessTimeout"] = "00:00:00.700",
        };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }
}
