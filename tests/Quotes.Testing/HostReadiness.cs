using Xunit;

namespace Quotes.Testing;

/// <summary>Waits until a host's <c>/health/ready</c> answers 200, as a load balancer waits before sending it clients.</summary>
public static class HostReadiness
{
    public static async Task WaitAsync(Uri baseUrl, TimeSpan? budget = null, TimeSpan? interval = null)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                Assert.True(response.IsSuccessStatusCode, $"{baseUrl} not ready: {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException e)
            {
                Assert.Fail($"{baseUrl} not listening yet: {e.Message}");
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                // No answer within the client's timeout (a node still starting on a busy machine): not ready, as a probe sees it.
                Assert.Fail($"{baseUrl} did not answer within {http.Timeout.TotalSeconds:F0} s: {e.InnerException?.InnerException?.Message}");
            }
        }, budget ?? TimeSpan.FromSeconds(60), interval ?? TimeSpan.FromMilliseconds(100));
    }
}
