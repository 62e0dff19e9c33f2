using Xunit.Sdk;

namespace Quotes.Testing;

/// <summary>Polls an assertion until it holds or the budget runs out (then rethrows its last failure). Never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Action assertion, TimeSpan? budget = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (budget ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
            }
        }
    }

    public static async Task HoldsAsync(Func<Task> assertion, TimeSpan? budget = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (budget ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
