package dev.meshd.bench;

import dev.meshd.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Three real etcd members (the {@code etcd} binary, Debian {@code etcd-server}) on loopback free
 * ports, each with its own data directory under {@code workDir}. {@link #close()} kills them.
 */
final class EtcdCluster implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> clientPorts = new ArrayList<>();
  private final Path workDir;

  EtcdCluster(Path workDir) {
    this.workDir = workDir;
  }

  static String version() {
    try {
      Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
      p.waitFor(10, TimeUnit.SECONDS);
      return out.strip();
    } catch (IOException | InterruptedException e) {
      return "not installed (" + e.getMessage() + ")";
    }
  }

  EtcdCluster start() throws IOException {
    List<Integer> peerPorts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clientPorts.add(FreePorts.loopback());
      peerPorts.add(FreePorts.loopback());
    }
    String initial = java.util.stream.IntStream.range(0, 3)
        .mapToObj(i -> "e" + i + "=http://127.0.0.1:" + peerPorts.get(i))
        .collect(Collectors.joining(","));
    for (int i = 0; i < 3; i++) {
      String client = "http://127.0.0.1:" + clientPorts.get(i);
      String peer = "http://127.0.0.1:" + peerPorts.get(i);
      Path data = Files.createDirectories(workDir.resolve("etcd-" + i));
      ProcessBuilder pb = new ProcessBuilder("etcd", "--name", "e" + i,
          "--data-dir", data.toString(),
          "--listen-client-urls", client, "--advertise-client-urls", client,
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--initial-cluster", initial, "--initial-cluster-state", "new",
          "--initial-cluster-token", "meshd-bench")
          .redirectErrorStream(true)
          .redirectOutput(workDir.resolve("etcd-" + i + ".log").toFile());
      processes.add(pb.start());
    }
    awaitHealthy(Duration.ofSeconds(60));
    return this;
  }

  /** host:port of member {@code i}'s client (gRPC) endpoint. */
  String clientAddress(int i) {
    return "127.0.0.1:" + clientPorts.get(i);
  }

  /** The client URLs, for etcdctl. */
  String endpoints() {
    return clientPorts.stream().map(p -> "http://127.0.0.1:" + p)
        .collect(Collectors.joining(","));
  }

  private void awaitHealthy(Duration timeout) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int port : clientPorts) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2))
              .build(), HttpResponse.BodyHandlers.ofString());
          all &= r.statusCode() == 200 && r.body().contains("true");
        } catch (IOException e) {
          all = false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for etcd", e);
        }
      }
      if (all) {
        return;
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new IOException("etcd did not become healthy within " + timeout + "; logs in "
        + workDir);
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
