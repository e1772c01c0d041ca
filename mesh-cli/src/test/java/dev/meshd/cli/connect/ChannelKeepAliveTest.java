package dev.meshd.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.grpc.GrpcKeepAlive;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.proto.v1.WatchRequest;
import dev.meshd.testkit.FreePorts;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A watch through a connection whose far end goes silent without closing it (a host powered off,
 * a dropped flow): the CLI's channel finds out by its keepalive pings and the watch fails with
 * {@code UNAVAILABLE} instead of waiting forever. Real sockets on 127.0.0.1; a proxy in between
 * stops passing bytes on both directions while keeping both connections open.
 */
class ChannelKeepAliveTest {

  @Test
  void aWatchOnAConnectionThatWentSilentFailsInsteadOfWaitingForever() throws Exception {
    CountDownLatch watching = new CountDownLatch(1);
    Server server = NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.loopback()),
            InsecureServerCredentials.create())
        .permitKeepAliveTime(GrpcKeepAlive.SERVER_PERMITTED_INTERVAL.toNanos(),
            TimeUnit.NANOSECONDS)
        .addService(new PolicyServiceGrpc.PolicyServiceImplBase() {
          @Override
          public void watch(WatchRequest request, StreamObserver<StoreChange> changes) {
            watching.countDown(); // and nothing ever changes
          }
        })
        .build()
        .start();
    try (SilencingProxy proxy = new SilencingProxy(server.getPort())) {
      // gRPC raises the interval to its 10 s minimum; the test only shortens the timeout.
      ManagedChannel channel = ChannelFactory.withKeepAlive(InsecureChannelCredentials.create(),
          Duration.ofSeconds(10), Duration.ofSeconds(2))
          .open(new ServerAddress("127.0.0.1", proxy.port()));
      AtomicReference<Throwable> ended = new AtomicReference<>();
      try {
        PolicyServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(StoreChange change) {}

              @Override
              public void onError(Throwable t) {
                ended.set(t);
              }

              @Override
              public void onCompleted() {
                ended.set(new IllegalStateException("completed"));
              }
            });
        assertThat(watching.await(30, TimeUnit.SECONDS)).isTrue();

        proxy.silence();

        await().atMost(Duration.ofSeconds(60)).until(() -> ended.get() != null);
        assertThat(ended.get()).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.fromThrowable(ended.get()).getCode())
            .isEqualTo(Status.Code.UNAVAILABLE);
        ServerAddress agent = new ServerAddress("127.0.0.1", proxy.port());
        assertThat(CallErrorMapper.describe((StatusRuntimeException) ended.get(), agent,
            Duration.ofSeconds(10)))
            .isEqualTo("cannot reach agent at " + agent + ": the connection went silent"
                + " (keepalive pings unanswered): the agent or the network to it is gone");
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Forwards one loopback port to another until {@link #silence()}, after which it holds every
   * connection open and passes nothing: what a peer that vanished looks like to TCP.
   */
  private static final class SilencingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch silenced = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    SilencingProxy(int target) throws IOException {
      this.target = target;
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    int port() {
      return listener.getLocalPort();
    }

    void silence() {
      silenced.countDown();
    }

    private void accept() {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(client);
          sockets.add(upstream);
          Thread.ofVirtual().start(() -> pump(client, upstream));
          Thread.ofVirtual().start(() -> pump(upstream, client));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (silenced.getCount() == 0) {
            closed.await(); // swallow this and everything after, keep the sockets open
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // a socket closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws IOException {
      closed.countDown();
      listener.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
