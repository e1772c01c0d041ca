package dev.meshd.bench;

import com.google.protobuf.ByteString;
import dev.meshd.bench.etcd.KVGrpc;
import dev.meshd.bench.etcd.PutRequest;
import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.core.policy.Admission;
import dev.meshd.core.policy.Hedging;
import dev.meshd.core.policy.Policy;
import dev.meshd.raft.RaftPolicyServer;
import dev.meshd.raft.RaftPolicyStore;
import dev.meshd.raft.RaftServerSettings;
import dev.meshd.raft.StoreOptions;
import dev.meshd.raft.internal.StoreCodec;
import dev.meshd.raft.internal.StoreRequest;
import dev.meshd.testkit.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mesh-bench policy [--clients 1,16,64] [--seconds 10] [--keys 1000] [--etcd]}: policy
 * writes per second and latency against three in-process Raft voters of the real store on
 * loopback, each client a closed loop of unconditional puts; with {@code --etcd}, the same load
 * against a three-member etcd on loopback (etcd's own KV.Put over gRPC, the value being the very
 * bytes meshd puts in its Raft log), in the same run.
 */
final class PolicyStoreBench {

  private PolicyStoreBench() {}

  static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int[] clients = Arrays.stream(options.getOrDefault("clients", "1,16,64").split(","))
        .mapToInt(Integer::parseInt).toArray();
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
    int keys = Integer.parseInt(options.getOrDefault("keys", "1000"));
    boolean etcd = options.containsKey("etcd");
    Path work = Files.createTempDirectory("meshd-policy-bench");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(work)));
    System.out.printf("policy store writes: %d s per point, %d keys, value %d bytes, clients %s%n",
        duration.toSeconds(), keys, value("bench-0").length, Arrays.toString(clients));
    List<WriteLoad.Result> meshd = runMeshd(work.resolve("meshd"), clients, keys, duration);
    List<WriteLoad.Result> other = etcd
        ? runEtcd(work.resolve("etcd"), clients, keys, duration) : List.of();
    print(meshd, other);
    deleteQuietly(work);
  }

  private static List<WriteLoad.Result> runMeshd(Path dir, int[] clients, int keys,
      Duration duration) throws Exception {
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      peers.add(new RaftPeer("v" + i, new HostPort("127.0.0.1", FreePorts.loopback())));
    }
    List<RaftPolicyServer> servers = new ArrayList<>();
    try {
      for (RaftPeer peer : peers) {
        RaftPolicyServer server = RaftPolicyServer.builder().nodeId(peer.id()).peers(peers)
            .dataDir(dir.resolve(peer.id())).settings(RaftServerSettings.defaults()).build();
        server.start();
        servers.add(server);
      }
      // The client sits on voter v1 and sends each write to the leader, wherever it is.
      try (RaftPolicyStore store = servers.getFirst().newStore(StoreOptions.defaults())) {
        WriteLoad.Writer writer = key -> store.putPolicy(policy(key), OptionalLong.empty())
            .get(30, TimeUnit.SECONDS);
        awaitFirstWrite(writer);
        System.out.printf("meshd: leader %s, client on v1%n", servers.stream()
            .filter(RaftPolicyServer::isLeader).map(RaftPolicyServer::nodeId).findFirst()
            .orElse("?"));
        return measure("meshd", writer, clients, keys, duration);
      }
    } finally {
      for (RaftPolicyServer server : servers.reversed()) {
        server.close();
      }
    }
  }

  private static List<WriteLoad.Result> runEtcd(Path dir, int[] clients, int keys,
      Duration duration) throws Exception {
    System.out.println("etcd: " + EtcdCluster.version());
    Files.createDirectories(dir);
    try (EtcdCluster cluster = new EtcdCluster(dir).start()) {
      ManagedChannel channel = NettyChannelBuilder.forTarget(cluster.clientAddress(0))
          .usePlaintext().build();
      try {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        WriteLoad.Writer writer = key -> kv.withDeadlineAfter(30, TimeUnit.SECONDS)
            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFrom(value(key))).build());
        awaitFirstWrite(writer);
        System.out.println("etcd: client on member e0 (followers forward to the leader)");
        List<WriteLoad.Result> results = measure("etcd", writer, clients, keys, duration);
        etcdctlCheckPerf(cluster.endpoints());
        return results;
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static List<WriteLoad.Result> measure(String name, WriteLoad.Writer writer,
      int[] clients, int keys, Duration duration) throws InterruptedException {
    WriteLoad.run(writer, 4, keys, Duration.ofSeconds(3)); // warm-up: JIT, connections
    List<WriteLoad.Result> results = new ArrayList<>();
    for (int c : clients) {
      WriteLoad.Result r = WriteLoad.run(writer, c, keys, duration);
      System.out.printf("  %-5s clients %3d: %8.0f writes/s  p50 %7.2f ms  p99 %7.2f ms  "
          + "max %7.2f ms  failed %d%n", name, c, r.writesPerSecond(), r.p50Micros() / 1e3,
          r.p99Micros() / 1e3, r.maxMicros() / 1e3, r.failures());
      results.add(r);
    }
    return results;
  }

  private static void print(List<WriteLoad.Result> meshd, List<WriteLoad.Result> etcd) {
    System.out.println();
    System.out.println("| clients | store | writes/s | p50 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    for (int i = 0; i < meshd.size(); i++) {
      row("meshd", meshd.get(i));
      if (i < etcd.size()) {
        row("etcd", etcd.get(i));
        WriteLoad.Result m = meshd.get(i);
        WriteLoad.Result e = etcd.get(i);
        System.out.printf("| %d | meshd / etcd | %.2f | %.2f | %.2f | |%n", m.clients(),
            m.writesPerSecond() / e.writesPerSecond(),
            (double) m.p50Micros() / e.p50Micros(), (double) m.p99Micros() / e.p99Micros());
      }
    }
  }

  private static void row(String store, WriteLoad.Result r) {
    System.out.printf("| %d | %s | %.0f | %.2f | %.2f | %.2f |%n", r.clients(), store,
        r.writesPerSecond(), r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.maxMicros() / 1e3);
  }

  /** etcd's own benchmark as a secondary reference; its output is printed as it is. */
  private static void etcdctlCheckPerf(String endpoints) {
    try {
      Process p = new ProcessBuilder("etcdctl", "--endpoints", endpoints, "check", "perf",
          "--load", "s").redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        System.out.println("etcdctl check perf: no result within 90 s");
        return;
      }
      System.out.println("etcdctl check perf --load s:");
      new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.contains("%") && !l.isBlank()).forEach(l -> System.out.println("  " + l));
    } catch (IOException e) {
      System.out.println("etcdctl check perf: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitFirstWrite(WriteLoad.Writer writer) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        writer.write("bench-first");
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
    }
  }

  /** A policy as operators write them: a glob, a strategy, weights, admission, hedging. */
  static Policy policy(String name) {
    return new Policy(name, "meta-llama/Llama-3.1-*", "hybrid",
        Map.of("queue_depth", 0.5, "kv_headroom", 0.3, "gpu_utilization", 0.1, "fabric", 0.1),
        new Admission(32, 64), new Hedging(true, Duration.ofMillis(250)), 0);
  }

  /** The bytes meshd puts in its Raft log for this write: the same value goes to etcd. */
  static byte[] value(String name) {
    return StoreCodec.encode(StoreRequest.put(policy(name), null));
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      String name = arg.substring(2);
      if (name.equals("etcd")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(arg + " needs a value");
      }
    }
    return options;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
