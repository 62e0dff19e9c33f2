using Quotes.Actors.Upstream.Pipeline;
using Xunit;

namespace Quotes.Actors.Tests;

/// <summary>Actions wait for their own link to open (<see cref="LinkGate"/>).</summary>
public sealed class LinkGateSpecs
{
    [Fact]
    public async Task An_action_waits_for_its_link_to_open()
    {
        var gate = new LinkGate();
        gate.Open(1);
        var forLink2 = gate.WhenOpenAsync(2);

        Assert.True(await gate.WhenOpenAsync(1));
        Assert.False(forLink2.IsCompleted);
        gate.Open(2);
        Assert.True(await forLink2.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_action_whose_link_never_opened_is_let_go_once_a_later_link_opens()
    {
        var gate = new LinkGate();
        var forLink1 = gate.WhenOpenAsync(1);
        var forLink2 = gate.WhenOpenAsync(2);

        gate.Open(2); // link 1 did not open (refused, or fenced): link 2 was granted and opened instead

        Assert.False(await forLink1.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await forLink2.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(await gate.WhenOpenAsync(1));
    }
}
