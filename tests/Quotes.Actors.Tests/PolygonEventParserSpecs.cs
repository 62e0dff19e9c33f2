using System.Text;
using Quotes.Actors.Upstream.Provider;
using Xunit;

namespace Quotes.Actors.Tests;

public class PolygonEventParserSpecs
{
    private static PolygonEventParser.Result Parse(string frame) => PolygonEventParser.Parse(Encoding.UTF8.GetBytes(frame));

    [Fact]
    public void Parses_the_spec_example_aggregate_field_for_field()
    {
        var result = Parse("""[{"ev":"A","sym":"SPCE","v":200,"av":8642007,"op":25.66,"vw":25.3981,"o":25.39,"c":25.39,"h":25.39,"l":25.39,"a":25.3714,"z":50,"s":1610144868000,"e":1610144869000}]""");

        var bar = Assert.IsType<AggregateBar>(Assert.Single(result.Events));
        Assert.Equal("SPCE", bar.Symbol);
        Assert.Equal(200, bar.Volume);
        Assert.Equal(8642007, bar.AccumulatedVolume);
        Assert.Equal(25.66m, bar.OfficialOpen);
        Assert.Equal(25.3981m, bar.WindowVwap);
        Assert.Equal(25.3714m, bar.DayVwap);
        Assert.Equal(25.39m, bar.Close);
        Assert.Equal(1610144868000, bar.Start);
        Assert.Equal(1610144869000, bar.End);
        Assert.Equal(0, result.Malformed);
    }

    [Theory]
    [InlineData("""[{"ev":"status","status":"connected","message":"Connected Successfully","simulated":true}]""", true)]
    [InlineData("""[{"ev":"status","status":"connected","message":"Connected Successfully"}]""", false)]
    [InlineData("""[{"ev":"status","status":"connected","message":"Connected Successfully","simulated":"yes"}]""", false)]
    public void A_status_says_simulated_only_when_the_upstream_sends_simulated_true(string frame, bool simulated)
    {
        var result = Parse(frame);

        Assert.Equal(new PolygonStatusEvent("connected", "Connected Successfully", simulated), Assert.Single(result.Events));
        Assert.Equal(0, result.Malformed);
    }

    [Fact]
    public void Parses_mixed_frames_with_statuses_and_skips_other_event_types()
    {
        var result = Parse("""[{"ev":"status","status":"auth_success","message":"authenticated"},{"ev":"T","sym":"MSFT","x":4,"i":"12345","z":3,"p":114.125,"s":100,"c":[0,12],"t":1536036818784,"q":3681328},{"ev":"AM","sym":"GTE","v":4110,"av":9470157,"op":0.4372,"vw":0.4488,"o":0.4488,"c":0.4486,"h":0.4489,"l":0.4486,"a":0.4352,"z":685,"s":1610144640000,"e":1610144700000}]""");

        Assert.Equal(2, result.Events.Count);
        Assert.Equal(new PolygonStatusEvent("auth_success", "authenticated"), result.Events[0]);
        Assert.Equal("GTE", Assert.IsType<AggregateBar>(result.Events[1]).Symbol);
        Assert.Equal(0, result.Malformed);
    }

    [Fact]
    public void Volumes_sent_as_floating_point_are_accepted()
    {
        var bar = Assert.IsType<AggregateBar>(Assert.Single(Parse("""[{"ev":"A","sym":"X","v":200.0,"av":8642007.0,"c":1.5,"s":1,"e":2}]""").Events));
        Assert.Equal(8642007, bar.AccumulatedVolume);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[{\"ev\":\"A\",\"sym\":\"X\",\"c\":1.5,")]
    [InlineData("[{\"ev\":\"A\",\"sym\":\"X\",\"c\":\"1.5\",\"s\":1,\"e\":2}]")]
    [InlineData("[{\"ev\":\"A\",\"c\":1.5,\"s\":1,\"e\":2}]")]
    [InlineData("[42]")]
    public void Malformed_input_yields_no_events_and_is_counted(string frame)
    {
        var result = Parse(frame);
        Assert.Empty(result.Events);
        Assert.True(result.Malformed > 0);
    }

    [Fact]
    public void A_bad_event_does_not_lose_the_good_ones_in_the_same_frame()
    {
        var result = Parse("""[{"ev":"A","sym":"BAD","c":"x","s":1,"e":2},{"ev":"A","sym":"GOOD","c":2.5,"s":1,"e":2}]""");
        Assert.Equal("GOOD", Assert.IsType<AggregateBar>(Assert.Single(result.Events)).Symbol);
        Assert.Equal(1, result.Malformed);
    }
    [Fact]
    public void A_lone_surrogate_costs_its_event_and_the_rest_of_the_frame_is_read()
    {
        var result = Parse("""[{"ev":"A","sym":"\ud800","c":1,"e":2},{"ev":"A","sym":"GOOD","c":1,"e":2}]""");

        Assert.Equal("GOOD", Assert.IsType<AggregateBar>(Assert.Single(result.Events)).Symbol);
        Assert.Equal(1, result.Malformed);
    }

    /// <summary>The text ones: a binary message never reaches the parser (the socket source skips it).</summary>
    public static TheoryData<Quotes.Simulator.PoisonedFrame> Poisoned() => new(Quotes.Simulator.PoisonedFrame.All.Where(f => !f.Binary));

    [Theory]
    [MemberData(nameof(Poisoned))]
    public void No_poisoned_frame_makes_the_parser_throw_or_yields_an_aggregate(Quotes.Simulator.PoisonedFrame frame)
    {
        var result = PolygonEventParser.Parse(frame.Bytes);

        Assert.DoesNotContain(result.Events, e => e is AggregateBar);
    }
}
