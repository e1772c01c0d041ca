package dev.meshd.bench;

import com.sun.net.httpserver.HttpServer;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.fleet.MemberState;
import dev.meshd.core.signal.AgedSignal;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.router.RouteRequest;
import dev.meshd.router.ingress.IngressMetrics;
import dev.meshd.router.ingress.IngressServer;
import dev.meshd.router.ingress.IngressSettings;
import dev.meshd.router.route.CandidateBuilder;
import dev.meshd.router.route.DispatchLedger;
import dev.meshd.router.route.Router;
import dev.meshd.router.route.RouterSettings;
import dev.meshd.router.route.RoutingTable;
import dev.meshd.router.strategy.Strategies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The router ingress's added latency: the same requests at the same fixed rate, sent once
 * straight to a runtime stand-in and once through the ingress (decision, proxy, streaming),
 * each measured from its scheduled send time (open loop: a slow response does not delay the
 * next send, so queueing shows in the figures instead of hiding). The runtime stand-in answers
 * with a small SSE stream of {@code chunks} events at once, so the difference is the router's.
 *
 * <p>{@code mesh-bench ingress [--rate 200] [--seconds 20] [--warmup 5] [--targets 8]
 * [--chunks 16]}
 */
public final class IngressLatencyBench {

  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  private IngressLatencyBench() {}

  public static void main(String[] args) throws Exception {
    IngressServer.enableNoDelay(); // as mesh-agent's main does, before any HTTP server starts
    Map<String, Integer> opts = options(args);
    int rate = opts.getOrDefault("rate", 200);
    int seconds = opts.getOrDefault("seconds", 20);
    int warmup = opts.getOrDefault("warmup", 5);
    int targets = opts.getOrDefault("targets", 8);
    int chunks = opts.getOrDefault("chunks", 16);

    List<HttpServer> upstreams = new ArrayList<>();
    List<FleetMember> members = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    ExecutorService upstreamThreads = Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < targets; i++) {
      HttpServer upstream = sseServer(chunks, upstreamThreads);
      upstreams.add(upstream);
      String endpoint = "http://127.0.0.1:" + upstream.getAddress().getPort();
      endpoints.add(endpoint);
      Instant now = Instant.now();
      members.add(new FleetMember(new CapabilityRecord(CapabilityRecord.SCHEMA_VERSION,
          "node" + i, "host" + i, "z1", "r1", Map.of(), Set.of("gpu"), "bench", 1, "", "", "",
          List.of(), List.of(new RuntimeInfo(RuntimeKind.VLLM, endpoint, List.of(MODEL)))),
          MemberState.ALIVE, now, now, now));
    }
    DispatchLedger ledger = DispatchLedger.system();
    Router router = new Router(new Strategies(ThreadLocalRandom.current()),
        new CandidateBuilder(node -> List.of(new AgedSignal(RuntimeSignal.healthy(
            RuntimeKind.VLLM, endpoints.get(Integer.parseInt(node.substring(4))),
            List.of(new ModelLoad(MODEL, 0, 1, OptionalDouble.of(0.3))), Instant.now()),
            Duration.ofMillis(100))), ledger, RouterSettings.DEFAULTS.staleAfter()),
        () -> RoutingTable.EMPTY, () -> List.copyOf(members), () -> RouterSettings.DEFAULTS,
        System::nanoTime);
    IngressServer ingress = IngressServer.start(
        IngressSettings.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .withDrainTimeout(Duration.ofSeconds(1)),
        router, () -> new RouteRequest.Origin("node0", "host0", "z1", "r1"), ledger,
        new IngressMetrics(new SimpleMeterRegistry()), OpenTelemetry.noop().getTracer("bench"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    URI direct = URI.create(endpoints.getFirst() + "/v1/chat/completions");
    URI routed = URI.create("http://127.0.0.1:" + ingress.address().getPort()
        + "/v1/chat/completions");
    System.out.printf(Locale.ROOT, "ingress latency: %d req/s open loop, %d s measured after"
        + " %d s warm-up, %d targets, SSE of %d chunks, %d cores%n", rate, seconds, warmup,
        targets, chunks, Runtime.getRuntime().availableProcessors());
    try {
      run(client, direct, rate, warmup);
      run(client, routed, rate, warmup);
      // Interleave two rounds of each so drift of the machine shows up in both.
      Result d1 = run(client, direct, rate, seconds / 2);
      Result r1 = run(client, routed, rate, seconds / 2);
      Result d2 = run(client, direct, rate, seconds - seconds / 2);
      Result r2 = run(client, routed, rate, seconds - seconds / 2);
      Result directAll = d1.plus(d2);
      Result routedAll = r1.plus(r2);
      System.out.println("                 p50 ms   p90 ms   p99 ms   max ms   errors   n");
      directAll.print("direct");
      routedAll.print("via ingress");
      System.out.printf(Locale.ROOT, "added by the ingress: p50 %.3f ms, p99 %.3f ms%n",
          routedAll.percentile(50) - directAll.percentile(50),
          routedAll.percentile(99) - directAll.percentile(99));
    } finally {
      ingress.close();
      upstreams.forEach(u -> u.stop(0));
      upstreamThreads.shutdownNow();
      client.shutdownNow();
    }
  }

  private record Result(long[] nanos, int errors) {
    Result plus(Result other) {
      long[] all = Arrays.copyOf(nanos, nanos.length + other.nanos.length);
      System.arraycopy(other.nanos, 0, all, nanos.length, other.nanos.length);
      Arrays.sort(all);
      return new Result(all, errors + other.errors);
    }

    double percentile(double p) {
      if (nanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
      return nanos[Math.clamp(i, 0, nanos.length - 1)] / 1e6;
    }

    void print(String label) {
      System.out.printf(Locale.ROOT, "%-15s %8.3f %8.3f %8.3f %8.3f %8d %6d%n", label,
          percentile(50), percentile(90), percentile(99), percentile(100), errors,
          nanos.length);
    }
  }

  private static Result run(HttpClient client, URI uri, int rate, int seconds)
      throws InterruptedException {
    byte[] body = ("{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hello\"}]}").getBytes(StandardCharsets.UTF_8);
    int total = rate * seconds;
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + 10_000_000L;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        long scheduled = start + i * interval;
        long wait = scheduled - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        senders.execute(() -> {
          try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
              in.transferTo(OutputStream.nullOutputStream());
            }
            if (response.statusCode() == 200) {
              latencies.add(System.nanoTime() - scheduled);
            } else {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          } finally {
            done.countDown();
          }
        });
      }
      if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
        throw new IllegalStateException("requests did not finish within " + (seconds + 60)
            + " s");
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(sorted, errors.get());
  }

  private static HttpServer sseServer(int chunks, ExecutorService threads) throws Exception {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    byte[] event = ("data: {\"choices\":[{\"delta\":{\"content\":\"tok\"}}]}\n\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] doneEvent = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < chunks; i++) {
          out.write(event);
          out.flush();
        }
        out.write(doneEvent);
      }
    });
    server.setExecutor(threads);
    server.start();
    return server;
  }

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: mesh-bench ingress [--rate N] [--seconds N]"
            + " [--warmup N] [--targets N] [--chunks N]; got " + args[i]);
      }
      String name = args[i].substring(2);
      if (!Set.of("rate", "seconds", "warmup", "targets", "chunks").contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      try {
        int value = Integer.parseInt(args[++i]);
        if (value < 1) {
          throw new NumberFormatException();
        }
        out.put(name, value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": " + args[i]
            + " (expected: a whole number >= 1)");
      }
    }
    return out;
  }
}
