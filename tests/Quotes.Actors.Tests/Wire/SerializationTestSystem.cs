using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Quotes.Actors.Cluster;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// The actor system of the serializer specs: remoting on a free loopback port (so actor references serialize with a full
/// address, as between nodes) and the serializer binding that every node has, from the same code (no HOCON copy of it).
/// </summary>
public static class SerializationTestSystem
{
    public static ActorSystemSetup Setup() =>
        ActorSystemSetup.Create(
            BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp.port = 0
                akka.remote.dot-netty.tcp.hostname = 127.0.0.1
                """)),
            QuotesSerialization.Setup());

    /// <summary>
    /// A reference to an actor on another node, the same in every run (unlike a probe's, whose port and uid vary), for
    /// bytes that are compared across builds. Resolving it contacts nothing.
    /// </summary>
    public static IActorRef RemoteHub(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider.ResolveActorRef("akka.tcp://quotes@node-a:4053/user/node-hub#1234567");
}
