package dev.meshd.cli.testing;

import dev.meshd.cli.connect.ChannelFactory;
import dev.meshd.cli.connect.ServerAddress;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FakeMeshService}, {@link FakePolicyService}, {@link FakeRouterService} and
 * {@link FakeFabricService} served either in-process (fast, no
 * sockets) or on a real loopback port chosen by the OS, with a {@link HeaderRecorder} in front.
 * {@link #close()} stops it and is safe to call twice.
 */
public final class FakeAgent implements AutoCloseable {

  private final FakeMeshService service;
  private final FakePolicyService policies;
  private final FakeRouterService router;
  private final FakeFabricService fabric;
  private final HeaderRecorder headers;
  private final Server server;
  private final ChannelFactory channels;
  private final ServerAddress address;

  private FakeAgent(
      FakeMeshService service, FakePolicyService policies, FakeRouterService router,
      FakeFabricService fabric, HeaderRecorder headers, Server server, ChannelFactory channels,
      ServerAddress address) {
    this.service = service;
    this.policies = policies;
    this.router = router;
    this.fabric = fabric;
    this.headers = headers;
    this.server = server;
    this.channels = channels;
    this.address = address;
  }

  /** Served in-process; {@link #channels()} connects to it whatever address the CLI is given. */
  public static FakeAgent inProcess() {
    FakeMeshService service = new FakeMeshService();
    FakePolicyService policies = new FakePolicyService();
    FakeRouterService router = new FakeRouterService();
    FakeFabricService fabric = new FakeFabricService();
    HeaderRecorder headers = new HeaderRecorder();
    String name = InProcessServerBuilder.generateName();
    Server server =
        start(InProcessServerBuilder.forName(name).directExecutor()
            .addService(ServerInterceptors.intercept(service, headers))
            .addService(ServerInterceptors.intercept(policies, headers))
            .addService(ServerInterceptors.intercept(router, headers))
            .addService(ServerInterceptors.intercept(fabric, headers)).build());
    ChannelFactory channels =
        ignored -> InProcessChannelBuilder.forName(name).directExecutor().build();
    return new FakeAgent(
        service, policies, router, fabric, headers, server, channels,
        new ServerAddress("127.0.0.1", 7070));
  }

  /** Served by Netty on 127.0.0.1 and a free port; use the CLI's real channel factory. */
  public static FakeAgent loopback() {
    return loopback(InsecureServerCredentials.create());
  }

  /**
   * Served by Netty on 127.0.0.1 and a free port with {@code credentials} (TLS in the TLS tests);
   * {@link #channels()} is the CLI's plaintext factory, as a real invocation's context has.
   */
  public static FakeAgent loopback(ServerCredentials credentials) {
    FakeMeshService service = new FakeMeshService();
    FakePolicyService policies = new FakePolicyService();
    FakeRouterService router = new FakeRouterService();
    FakeFabricService fabric = new FakeFabricService();
    HeaderRecorder headers = new HeaderRecorder();
    Server server =
        start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
            .addService(ServerInterceptors.intercept(service, headers))
            .addService(ServerInterceptors.intercept(policies, headers))
            .addService(ServerInterceptors.intercept(router, headers))
            .addService(ServerInterceptors.intercept(fabric, headers)).build());
    return new FakeAgent(
        service, policies, router, fabric, headers, server, ChannelFactory.plaintext(),
        new ServerAddress("127.0.0.1", server.getPort()));
  }

  public FakeMeshService service() {
    return service;
  }

  public FakeRouterService router() {
    return router;
  }

  public FakeFabricService fabric() {
    return fabric;
  }

  public FakePolicyService policies() {
    return policies;
  }

  public HeaderRecorder headers() {
    return headers;
  }

  public ChannelFactory channels() {
    return channels;
  }

  /** The value to pass as {@code --server}. */
  public String server() {
    return address.toString();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Server start(Server server) {
    try {
      return server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
