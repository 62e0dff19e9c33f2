using Quotes.Actors.Facade;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class ClientActionSpecs
{
    [Fact]
    public void A_Polygon_auth_action_never_prints_its_key()
    {
        var action = new PolygonSessionActor.ClientAction("auth", "the-client-key-123");
        Assert.DoesNotContain("the-client-key-123", action.ToString());
        Assert.Contains("auth", action.ToString());
    }
}
