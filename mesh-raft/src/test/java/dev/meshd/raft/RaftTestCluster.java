package dev.meshd.raft;

import dev.meshd.core.config.HostPort;
import dev.meshd.core.config.RaftPeer;
import dev.meshd.core.config.TlsConfig;
import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * N policy-store voters in this JVM on free loopback ports, each with its own data directory,
 * which a test can stop and restart (same port, same data) one by one. Not thread-safe: one test
 * thread drives it.
 */
final class RaftTestCluster implements AutoCloseable {

  private final List<RaftPeer> peers;
  private final Path root;
  private final RaftServerSettings settings;
  private final StoreOptions storeOptions;
  private final RaftPolicyServer[] servers;
  private final RaftPolicyStore[] stores;
  private Function<String, Optional<TlsConfig>> tls = id -> Optional.empty();

  RaftTestCluster(int size, Path root, RaftServerSettings settings, StoreOptions storeOptions) {
    this.peers = IntStream.rangeClosed(1, size)
        .mapToObj(i -> new RaftPeer("node" + i, new HostPort("127.0.0.1", FreePorts.loopback())))
        .toList();
    this.root = root;
    this.settings = settings;
    this.storeOptions = storeOptions;
    this.servers = new RaftPolicyServer[size];
    this.stores = new RaftPolicyStore[size];
  }

  /** Gives each voter, by node id, its {@code security.tls}; before the voters start. */
  RaftTestCluster withTls(Function<String, Optional<TlsConfig>> tlsOfNode) {
    this.tls = tlsOfNode;
    return this;
  }

  RaftTestCluster startAll() {
    for (int i = 0; i < servers.length; i++) {
      start(i);
    }
    return this;
  }

  void start(int i) {
    if (servers[i] != null) {
      throw new IllegalStateException(peers.get(i).id() + " is running");
    }
    RaftPolicyServer server = RaftPolicyServer.builder()
        .nodeId(peers.get(i).id())
        .peers(peers)
        .dataDir(root.resolve(peers.get(i).id()))
        .settings(settings)
        .tls(tls.apply(peers.get(i).id()))
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers[i] = server;
    stores[i] = server.newStore(storeOptions);
  }

  /** Stops voter {@code i}, keeping its data directory for a restart. */
  void stop(int i) {
    RaftPolicyStore store = stores[i];
    RaftPolicyServer server = servers[i];
    stores[i] = null;
    servers[i] = null;
    try (server; store) {
      // closes the client, then the server
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RaftPolicyStore store(int i) {
    return stores[i];
  }

  RaftPolicyServer server(int i) {
    return servers[i];
  }

  List<RaftPeer> peers() {
    return peers;
  }

  int size() {
    return servers.length;
  }

  /** The index of the running voter that leads, if exactly one believes it does. */
  Optional<Integer> leader() {
    List<Integer> leaders = new ArrayList<>();
    for (int i = 0; i < servers.length; i++) {
      if (servers[i] != null && servers[i].isLeader()) {
        leaders.add(i);
      }
    }
    return leaders.size() == 1 ? Optional.of(leaders.getFirst()) : Optional.empty();
  }

  /** A running voter other than {@code except}. */
  int anyRunningExcept(int except) {
    for (int i = 0; i < servers.length; i++) {
      if (i != except && servers[i] != null) {
        return i;
      }
    }
    throw new IllegalStateException("no other voter running");
  }

  /** Stops every running voter, even when stopping one of them fails. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (int i = 0; i < servers.length; i++) {
      if (servers[i] != null) {
        try {
          stop(i);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
