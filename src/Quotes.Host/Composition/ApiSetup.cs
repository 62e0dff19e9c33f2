using Quotes.Contracts;
using Quotes.Host.Api;

namespace Quotes.Host.Composition;

/// <summary>Services of the REST API: the data service, its cache, rate limits, JSON and the OpenAPI document.</summary>
public static class ApiSetup
{
    public static IServiceCollection AddQuotesApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBoundedCache(configuration);
        services.AddSingleton(QueryLimits.From(configuration));
        services.AddSingleton<MarketData>();
        services.AddQuotesRateLimits(configuration);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, QuotesJsonContext.Default));
        services.AddHttpContextAccessor();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<Quotes.Host.Admin.AdminRoutesHidden>());
        return services;
    }
}
