using Akka.Actor;
using Quotes.Actors.Cluster;
using Xunit;

namespace Quotes.Actors.Tests;

public sealed class SoleSeedSpecs
{
    private static readonly Address Self = new("akka.tcp", "quotes", "node1", 4053);

    [Theory]
    [InlineData(true)]
    [InlineData(true, "akka.tcp://quotes@node1:4053")]
    [InlineData(true, " akka.tcp://quotes@NODE1:4053 ", "akka.tcp://quotes@node1:4053")]
    [InlineData(false, "akka.tcp://quotes@node1:4053", "akka.tcp://quotes@node2:4053")]
    [InlineData(false, "akka.tcp://quotes@node2:4053", "akka.tcp://quotes@node1:4053")]
    [InlineData(false, "akka.tcp://quotes@node2:4053")]
    [InlineData(false, "akka.tcp://quotes@node1:4054")]
    [InlineData(false, "akka.tcp://other@node1:4053")]
    [InlineData(false, "node1:4053")]
    public void A_list_that_names_no_node_but_this_one_lets_it_form_its_own_cluster(bool formsItsOwn, params string[] seeds) =>
        Assert.Equal(formsItsOwn, SoleSeed.FormsItsOwnCluster(seeds, Self));
}
