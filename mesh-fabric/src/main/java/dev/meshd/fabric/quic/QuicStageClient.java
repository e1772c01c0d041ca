package dev.meshd.fabric.quic;

import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.fabric.quic.internal.ConnectionEvents;
import dev.meshd.fabric.quic.internal.EventLoops;
import dev.meshd.fabric.quic.internal.PinnedServerTrustManager;
import dev.meshd.fabric.quic.internal.QuicCodecs;
import dev.meshd.fabric.quic.internal.QuicStageLink;
import dev.meshd.fabric.quic.internal.SocketErrors;
import dev.meshd.fabric.quic.internal.RefuseStreams;
import dev.meshd.fabric.quic.internal.StageStreamHandler;
import dev.meshd.fabric.tls.AgentCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicChannelOption;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens stage links to peers' {@link QuicEndpoint}s, presenting the agent's certificate and
 * pinning the peer's to the fingerprint in its endpoint. Each link is a connection on its own
 * UDP socket with one bidirectional stream.
 *
 * <p>Lifecycle: {@link #start()} starts the event loop (idempotent); {@link #close()} closes
 * every link it opened, then the event loop (idempotent). Thread-safe; {@link #connect} and
 * {@link #probe} block, so call them from virtual threads.
 */
public final class QuicStageClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuicStageClient.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final AgentCertificate certificate;
  private final InetSocketAddress localAddress;
  private final QuicStageConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<QuicStageLink> links = ConcurrentHashMap.newKeySet();
  /** Test hook, see {@link #corruptNextProbeMessage()}. */
  private final AtomicBoolean corruptNextProbeMessage = new AtomicBoolean();

  // Guarded by this.
  private EventLoops loops;
  private ChannelGroup sockets;

  private QuicStageClient(Builder builder) {
    this.certificate = builder.certificate;
    this.localAddress = builder.localAddress;
    this.config = builder.config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the event loop. Idempotent; {@link IllegalStateException} after close. */
  public synchronized void start() {
    if (closed.get()) {
      throw new IllegalStateException("QUIC stage client closed");
    }
    if (loops == null) {
      loops = EventLoops.create("meshd-quic-client", config.eventLoopThreads());
      sockets = new DefaultChannelGroup("quic-client-sockets", loops.group().next());
    }
  }

  /**
   * Connects to {@code endpoint} and confirms the peer answers (one round trip), all within
   * {@code timeout}.
   *
   * @throws StageLinkException with {@link FallbackReason#CONNECT_FAILED} when no handshake
   *     completed (nothing answered, refused, unresolvable), {@link FallbackReason#PEER_REJECTED}
   *     when the peer's certificate is not the pinned one or the peer refused ours,
   *     {@link FallbackReason#PROBE_TIMEOUT} when the handshake completed but no answer came
   */
  public StageLink connect(QuicEndpoint endpoint, Duration timeout)
      throws StageLinkException, InterruptedException {
    return connect(endpoint, System.nanoTime() + timeout.toNanos());
  }

  /**
   * Connects to {@code endpoint}, runs the payload probe and closes the link, the whole within
   * {@code spec.deadline()}; the result's {@code elapsed} includes the connect.
   */
  public ProbeResult probe(QuicEndpoint endpoint, ProbeSpec spec) throws ProbeFailure {
    long start = System.nanoTime();
    long deadline = start + spec.deadline().toNanos();
    QuicStageLink link;
    try {
      link = connect(endpoint, deadline);
    } catch (StageLinkException e) {
      throw new ProbeFailure(e.reason(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure(FallbackReason.PROBE_TIMEOUT, "interrupted while connecting");
    }
    try (link) {
      return link.probe(spec, start, deadline);
    }
  }

  /** Closes every open link, their sockets and the event loop. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    EventLoops ownedLoops;
    ChannelGroup ownedSockets;
    synchronized (this) {
      ownedLoops = loops;
      ownedSockets = sockets;
    }
    if (ownedLoops == null) {
      return;
    }
    for (QuicStageLink link : links) {
      link.close();
    }
    ownedSockets.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    if (!ownedLoops.shutdown(CLOSE_TIMEOUT)) {
      log.warn("QUIC stage client event loop did not stop within {}", CLOSE_TIMEOUT);
    }
  }

  /**
   * Test hook: the next probe message sent by a link of this client gets one byte flipped
   * after its checksum was computed, as a buggy sender would.
   */
  void corruptNextProbeMessage() {
    corruptNextProbeMessage.set(true);
  }

  private QuicStageLink connect(QuicEndpoint endpoint, long deadlineNanos)
      throws StageLinkException, InterruptedException {
    Objects.requireNonNull(endpoint, "endpoint");
    EventLoops ownedLoops = requireStarted();
    String target = endpoint.host() + ":" + endpoint.port();
    InetSocketAddress remote = new InetSocketAddress(endpoint.host(), endpoint.port());
    if (remote.isUnresolved()) {
      throw new StageLinkException(FallbackReason.CONNECT_FAILED,
          "cannot resolve " + endpoint.host());
    }
    PinnedServerTrustManager pin = new PinnedServerTrustManager(endpoint.certificateSha256());
    Channel socket = bind(ownedLoops, pin, target, deadlineNanos);
    ConnectionEvents events = new ConnectionEvents();
    Future<QuicChannel> connecting = QuicChannel.newBootstrap(socket)
        .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
            QuicCodecs.datagramAllocator(ownedLoops))
        .handler(events)
        .streamHandler(RefuseStreams.INSTANCE)
        .remoteAddress(remote)
        .connect();
    if (!connecting.await(remainingMillis(deadlineNanos))) {
      // Closing the socket fails the attempt; cancelling it would race Netty's own completion.
      socket.close();
      throw new StageLinkException(FallbackReason.CONNECT_FAILED, "no QUIC handshake with "
          + target + " in time: nothing answered, or the handshake did not finish");
    }
    if (!connecting.isSuccess()) {
      socket.close();
      if (pin.rejectedSha256() != null) {
        throw new StageLinkException(FallbackReason.PEER_REJECTED, target
            + " presented a certificate with sha256 " + pin.rejectedSha256()
            + ", but its record pins " + pin.expectedSha256());
      }
      throw new StageLinkException(FallbackReason.CONNECT_FAILED, "QUIC handshake with "
          + target + " failed: " + connecting.cause(), connecting.cause());
    }
    QuicStageLink link = openStream(connecting.getNow(), events, socket, endpoint, target,
        deadlineNanos);
    try {
      link.confirm(deadlineNanos);
    } catch (TimeoutException e) {
      link.close();
      throw new StageLinkException(FallbackReason.PROBE_TIMEOUT, "the QUIC handshake with "
          + target + " finished but the peer did not answer a ping in time");
    } catch (StageLinkException | InterruptedException | RuntimeException e) {
      link.close();
      throw e;
    }
    return link;
  }

  private Channel bind(EventLoops ownedLoops, PinnedServerTrustManager pin, String target,
      long deadlineNanos) throws StageLinkException, InterruptedException {
    ChannelHandler codec;
    try {
      codec = QuicCodecs.configure(new QuicClientCodecBuilder(), config)
          .sslContext(QuicSslContextBuilder.forClient()
              .keyManager(certificate.privateKey(), null, certificate.certificate())
              .trustManager(pin)
              .applicationProtocols(QuicCodecs.ALPN)
              .earlyData(false)
              .build())
          .build();
    } catch (RuntimeException e) {
      throw new StageLinkException(FallbackReason.TRANSPORT_ERROR,
          "cannot build the QUIC client TLS context: " + e, e);
    }
    ChannelFuture bound = QuicCodecs.configure(new Bootstrap(), config, ownedLoops)
        .group(ownedLoops.group())
        .channel(ownedLoops.channelClass())
        .handler(SocketErrors.after(codec))
        .bind(localAddress);
    if (!bound.await(remainingMillis(deadlineNanos)) || !bound.isSuccess()) {
      bound.channel().close();
      throw new StageLinkException(FallbackReason.CONNECT_FAILED, "cannot open a UDP socket on "
          + localAddress + " to reach " + target + ": " + bound.cause(), bound.cause());
    }
    sockets.add(bound.channel());
    return bound.channel();
  }

  private QuicStageLink openStream(QuicChannel connection, ConnectionEvents events,
      Channel socket,
      QuicEndpoint endpoint, String target, long deadlineNanos)
      throws StageLinkException, InterruptedException {
    AtomicReference<QuicStageLink> created = new AtomicReference<>();
    Runnable release = () -> {
      QuicStageLink link = created.get();
      if (link != null) {
        links.remove(link);
      }
      connection.close().addListener(closed -> socket.close());
    };
    Future<QuicStreamChannel> opening = connection.createStream(QuicStreamType.BIDIRECTIONAL,
        new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            QuicStageLink link = new QuicStageLink(stream, config,
                endpoint.certificateSha256(), release, corruptNextProbeMessage);
            created.set(link);
            StageStreamHandler.install(stream, link, events, config.maxFrameBytes(), null,
                true);
          }
        });
    if (!opening.await(remainingMillis(deadlineNanos)) || !opening.isSuccess()
        || created.get() == null) {
      release.run();
      throw new StageLinkException(FallbackReason.CONNECT_FAILED,
          "cannot open a stream to " + target + ": "
              + (opening.isDone() ? opening.cause() : "timed out"), opening.cause());
    }
    links.add(created.get());
    if (closed.get()) {
      // close() ran while we connected and did not see this link.
      created.get().close();
      throw new StageLinkException(FallbackReason.CONNECT_FAILED, "QUIC stage client closed");
    }
    return created.get();
  }

  private synchronized EventLoops requireStarted() {
    if (closed.get()) {
      throw new IllegalStateException("QUIC stage client closed");
    }
    if (loops == null) {
      throw new IllegalStateException("QUIC stage client not started");
    }
    return loops;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Collects what a client needs; {@link #build()} names what is missing. */
  public static final class Builder {
    private AgentCertificate certificate;
    private InetSocketAddress localAddress = new InetSocketAddress(0);
    private QuicStageConfig config = QuicStageConfig.defaults();

    private Builder() {}

    /** The agent's certificate, presented to servers. Required. */
    public Builder certificate(AgentCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /** Where each link's UDP socket binds; default any address, a free port. */
    public Builder localAddress(InetSocketAddress localAddress) {
      this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
      return this;
    }

    public Builder config(QuicStageConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public QuicStageClient build() {
      if (certificate == null) {
        throw new IllegalStateException("QuicStageClient: missing certificate");
      }
      return new QuicStageClient(this);
    }
  }
}
