namespace Quotes.Host.Composition;

/// <summary>
/// Reads one limit at start, within its range; a value outside it (or not a number) stops the node with an error naming
/// the setting. The one way the <c>Limits:</c> bounds are read.
/// </summary>
public static class LimitSetting
{
    public static int Int(IConfiguration configuration, string setting, int fallback, int min, int max)
    {
        var value = Parse(configuration, setting, fallback, $"a whole number from {min} to {max}");
        return value >= min && value <= max ? value : throw new InvalidOperationException($"{setting} must be from {min} to {max}; it is {value}");
    }

    public static TimeSpan Duration(IConfiguration configuration, string setting, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var value = Parse(configuration, setting, fallback, $"a duration from {min} to {max}");
        return value >= min && value <= max ? value : throw new InvalidOperationException($"{setting} must be from {min} to {max}; it is {value}");
    }

    private static T Parse<T>(IConfiguration configuration, string setting, T fallback, string expected)
    {
        try
        {
            return configuration.GetValue(setting, fallback)!;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{setting} must be {expected}; it is '{configuration[setting]}'", e);
        }
    }
}
