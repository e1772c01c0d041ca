package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.TelemetryConfig;
import dev.meshd.proto.v1.ListNodesRequest;
import dev.meshd.proto.v1.MeshServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent with telemetry.otlp-endpoint sends a span per gRPC call to a (fake) collector. */
class TracingIT {

  @TempDir Path dir;

  @Test
  void grpcCallsAreExportedAsOtlpSpansWithTheCallersTraceId() throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    collector.createContext("/v1/traces", exchange -> {
      try (exchange) {
        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        bodies.add(exchange.getRequestBody().readAllBytes());
        exchange.sendResponseHeaders(200, -1);
      }
    });
    collector.start();
    try {
      AgentConfig base = TestConfigs.agent("traced", dir, List.of(), Optional.empty());
      AgentConfig config = new AgentConfig(base.source(), base.node(), base.listen(),
          base.gossip(), base.raft(), base.gpus(), base.runtimes(), base.fabric(),
          new TelemetryConfig(
              Optional.of(URI.create("http://127.0.0.1:" + collector.getAddress().getPort())),
              "meshd-test"),
          base.security(), base.logging());
      MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1), Clock.systemUTC());
      agent.start();
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
      try {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
            "00-" + traceId + "-00f067aa0ba902b7-01");
        MeshServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .listNodes(ListNodesRequest.getDefaultInstance());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> !bodies.isEmpty());
      agent.close();

      String all = new String(bodies.stream().reduce(new byte[0], TracingIT::concat),
          StandardCharsets.ISO_8859_1);
      assertThat(contentTypes).allMatch(t -> t.startsWith("application/x-protobuf"));
      assertThat(all).contains("meshd.v1.MeshService/ListNodes").contains("meshd-test")
          .contains("traced");
      // OTLP carries trace ids as 16 raw bytes.
      assertThat(all).contains(new String(hex(traceId), StandardCharsets.ISO_8859_1));
    } finally {
      collector.stop(0);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }
}
