package dev.meshd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports chosen free at run time, so tests never depend on fixed ports.
 *
 * <p>The port is free when returned; another process could take it before the caller binds it.
 * The kernel hands out ephemeral ports round-robin, which makes that rare enough for tests.
 */
public final class FreePorts {

  private FreePorts() {}

  /** A TCP port on 127.0.0.1 that nothing listens on right now. */
  public static int loopback() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
