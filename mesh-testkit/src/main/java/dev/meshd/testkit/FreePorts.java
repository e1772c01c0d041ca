package dev.meshd.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports chosen free at run time, so tests never depend on fixed ports.
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code ip_local_port_range}), never from
 * it: a port from the ephemeral range can be taken between the check and the bind by the local end
 * of any outgoing connection (gRPC, Ratis and gossip clients open many), or still be held by such
 * a connection in TIME_WAIT, which a server without {@code SO_REUSEADDR} (Ratis's) cannot bind.
 * Each port is handed out at most once per JVM, so two servers of one test never get the same port.
 * A port is returned only if both TCP and UDP can bind it right now.
 */
public final class FreePorts {

  private static final int LOWEST = 20_000;
  private static final int ATTEMPTS = 2_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int EPHEMERAL_FLOOR = ephemeralFloor();

  private FreePorts() {}

  /** A loopback port, TCP and UDP, that nothing uses right now and that this JVM has not used. */
  public static int loopback() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = random.nextInt(LOWEST, EPHEMERAL_FLOOR);
      if (HANDED_OUT.add(port)) {
        if (bindable(port)) {
          return port;
        }
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOWEST + ".." + EPHEMERAL_FLOOR
        + " after " + ATTEMPTS + " attempts");
  }

  private static boolean bindable(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.setReuseAddress(false);
      tcp.bind(new InetSocketAddress(loopback, port), 1);
    } catch (IOException e) {
      return false;
    }
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the ephemeral range; 32768 (Linux's default) when it cannot be read. */
  private static int ephemeralFloor() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      List<String> bounds = List.of(Files.readString(range).trim().split("\\s+"));
      int floor = Integer.parseInt(bounds.getFirst());
      return floor > LOWEST + 1_000 ? floor : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
