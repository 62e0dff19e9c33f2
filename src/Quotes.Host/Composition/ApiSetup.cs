using Microsoft.Extensions.Options;
using Quotes.Contracts;
using Quotes.Host.Api;
using Quotes.Host.Facade;

namespace Quotes.Host.Composition;

/// <summary>Services of the REST API and the façade's REST relay: the data service, its cache, rate limits, JSON and the OpenAPI document.</summary>
public static class ApiSetup
{
    public static IServiceCollection AddQuotesApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBoundedCache();
        services.AddOptions<QueryLimitOptions>().BindConfiguration(QueryLimitOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        services.AddSingleton(services => services.GetRequiredService<IOptions<QueryLimitOptions>>().Value);
        services.AddSingleton<MarketData>();
        services.AddQuotesRateLimits();
        services.AddOptions<FacadeLimitOptions>().BindConfiguration(FacadeLimitOptions.Section).ValidateProblems(o => o.Problems()).ValidateOnStart();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, QuotesJsonContext.Default));
        services.AddHttpContextAccessor();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<Quotes.Host.Admin.AdminRoutesHidden>());
        return services;
    }
}
