using Microsoft.Extensions.Options;

namespace Quotes.Host.Composition;

/// <summary>
/// The one way a settings section is read: an options class bound with the options framework
/// (<c>AddOptions&lt;T&gt;().BindConfiguration(section).ValidateProblems(…).ValidateOnStart()</c>), consumed as
/// <see cref="IOptions{TOptions}"/> (or <see cref="IOptionsMonitor{TOptions}"/> where a reload applies). Each check returns
/// the problems it finds, each naming its setting; the node does not start while there is one.
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
