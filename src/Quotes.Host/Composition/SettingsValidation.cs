using Microsoft.Extensions.Options;

namespace Quotes.Host.Composition;

/// <summary>
/// The one way a settings section is read: an options class bound with the options framework
/// (<c>AddOptions&lt;T&gt;().BindConfiguration(section).ValidateProblems(…).ValidateOnStart()</c>), consumed as
/// <see cref="IOptions{TOptions}"/> (or <see cref="IOptionsMonitor{TOptions}"/> where a reload applies). A section the
/// composition itself needs before the app is built (Kestrel's limits, the actor system, the upstream, the auth schemes)
/// is the same kind of options class, read with <see cref="AddSettingsNow{TOptions}"/>. Each check returns the problems it
/// finds, each naming its setting; the node does not start while there is one.
/// </summary>
public static class SettingsValidation
{
    /// <summary>Validates the options with <paramref name="problems"/>: every message it returns is one failure.</summary>
    public static OptionsBuilder<TOptions> ValidateProblems<TOptions>(this OptionsBuilder<TOptions> builder,
        Func<TOptions, IEnumerable<string>> problems) where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ProblemsValidation<TOptions>(builder.Name, problems));
        return builder;
    }

    /// <summary>
    /// A section the composition needs before the app is built: bound and checked now, with the problems the options class
    /// names (a value that does not convert stops the start too, naming its setting), then registered so that
    /// <see cref="IOptions{TOptions}"/> serves this very instance. <paramref name="complete"/> fills in what binding alone
    /// cannot (a list given as one comma-separated value, a fallback variable).
    /// </summary>
    public static TOptions AddSettingsNow<TOptions>(this WebApplicationBuilder builder, string section,
        Func<TOptions, IEnumerable<string>> problems, Action<TOptions, IConfiguration>? complete = null) where TOptions : class, new()
    {
        var options = new TOptions();
        builder.Configuration.GetSection(section).Bind(options);
        complete?.Invoke(options, builder.Configuration);
        if (problems(options).ToList() is { Count: > 0 } found) throw new InvalidOperationException(string.Join("; ", found));
        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }

    /// <summary>A list setting given either as entries (<c>Key:0</c>, <c>Key:1</c>) or as one comma-separated value.</summary>
    public static string[] List(IConfiguration configuration, string key, string[] entries)
    {
        var joined = configuration[key];
        if (entries.Length == 0 && !string.IsNullOrWhiteSpace(joined))
            entries = joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return entries.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
    }

    /// <summary>
    /// Runs the <c>ValidateOnStart</c> checks now, when the app is built, rather than when it starts: a bad setting stops
    /// <see cref="QuotesApp.BuildAsync(WebApplicationBuilder)"/> as the checks made while composing do, with an <see cref="InvalidOperationException"/>
    /// whose message is the problems joined with "; ".
    /// </summary>
    public static void ValidateSettingsNow(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            throw new InvalidOperationException(string.Join("; ", e.InnerExceptions.Select(inner => inner.Message)), e);
        }
    }

    private sealed class ProblemsValidation<TOptions>(string? name, Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (name is not null && name != optionsName) return ValidateOptionsResult.Skip;
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
