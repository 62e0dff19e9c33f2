using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Quotes.Client;

/// <summary>Registration for hosted apps: one <see cref="QuotesClient"/> per container, disposed with it.</summary>
public static class QuotesClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="QuotesClient"/> configured by <paramref name="configure"/> (and anything else that
    /// configures <see cref="QuotesClientOptions"/>, e.g. <c>services.Configure&lt;QuotesClientOptions&gt;(configuration.GetSection("Quotes"))</c>).
    /// The options are checked when the client is first resolved. The app calls <see cref="QuotesClient.ConnectAsync"/>,
    /// e.g. at the start of its background service.
    /// </summary>
    public static IServiceCollection AddQuotesClient(this IServiceCollection services, Action<QuotesClientOptions>? configure = null)
    {
        var options = services.AddOptions<QuotesClientOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton(provider => new QuotesClient(provider.GetRequiredService<IOptions<QuotesClientOptions>>().Value));
        return services;
    }
}
