package dev.meshd.fabric.quic;

import dev.meshd.core.fabric.QuicEndpoint;
import dev.meshd.fabric.quic.internal.ConnectionEvents;
import dev.meshd.fabric.quic.internal.EventLoops;
import dev.meshd.fabric.quic.internal.FleetClientTrustManager;
import dev.meshd.fabric.quic.internal.NoRetryTokenHandler;
import dev.meshd.fabric.quic.internal.QuicCodecs;
import dev.meshd.fabric.quic.internal.QuicStageLink;
import dev.meshd.fabric.quic.internal.SocketErrors;
import dev.meshd.fabric.quic.internal.StageStreamHandler;
import dev.meshd.fabric.tls.AgentCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicChannelOption;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's QUIC stage endpoint: a UDP socket serving TLS 1.3 with the agent's certificate
 * (ALPN {@code meshd-stage/1}), requiring a client certificate whose fingerprint the
 * {@code acceptClient} predicate accepts. Every link answers probes; a link's first stage
 * message hands it to the link handler, on a virtual thread.
 *
 * <p>Lifecycle: {@link #start()} binds (idempotent), {@link #close()} closes every connection
 * (peers are told), the socket and the event loop (idempotent, also before start). Thread-safe.
 */
public final class QuicStageServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuicStageServer.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final AgentCertificate certificate;
  private final InetSocketAddress bindAddress;
  private final Predicate<String> acceptClient;
  private final Consumer<StageLink> linkHandler;
  private final QuicStageConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();

  // Guarded by this.
  private EventLoops loops;
  private Channel channel;
  private ChannelGroup connections;

  private QuicStageServer(Builder builder) {
    this.certificate = builder.certificate;
    this.bindAddress = builder.bindAddress;
    this.acceptClient = builder.acceptClient;
    this.linkHandler = builder.linkHandler;
    this.config = builder.config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the UDP socket. Idempotent.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void start() throws IOException {
    if (closed.get()) {
      throw new IllegalStateException("QUIC stage server closed");
    }
    if (channel != null) {
      return;
    }
    EventLoops created = EventLoops.create("meshd-quic-server", config.eventLoopThreads());
    ChannelGroup group = new DefaultChannelGroup("quic-connections", created.group().next());
    ChannelFuture bound = QuicCodecs.configure(new Bootstrap(), config, created)
        .group(created.group())
        .channel(created.channelClass())
        .handler(SocketErrors.after(codec(group, created)))
        .bind(bindAddress)
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      created.shutdown(CLOSE_TIMEOUT);
      throw new IOException("cannot bind the QUIC stage server to " + bindAddress + " (UDP): "
          + bound.cause().getMessage(), bound.cause());
    }
    loops = created;
    connections = group;
    channel = bound.channel();
    log.info("QUIC stage server on {} (UDP), certificate sha256 {}", localAddress(),
        certificate.sha256());
  }

  /** The bound address (the real port when 0 was asked for). */
  public synchronized InetSocketAddress localAddress() {
    if (channel == null) {
      throw new IllegalStateException("QUIC stage server not started");
    }
    return (InetSocketAddress) channel.localAddress();
  }

  /**
   * The endpoint a peer on this host would dial: the bound address and this certificate's
   * fingerprint. An agent bound to a wildcard address advertises its own host instead.
   */
  public QuicEndpoint endpoint() {
    InetSocketAddress address = localAddress();
    return new QuicEndpoint(address.getHostString(), address.getPort(), certificate.sha256());
  }

  /** Closes every connection, the socket and the event loop. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    EventLoops ownedLoops;
    Channel ownedChannel;
    ChannelGroup ownedConnections;
    synchronized (this) {
      ownedLoops = loops;
      ownedChannel = channel;
      ownedConnections = connections;
    }
    if (ownedLoops == null) {
      return;
    }
    // Connections first, so that peers receive CONNECTION_CLOSE instead of waiting for their
    // idle timeout; then the socket.
    ownedConnections.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    ownedChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    if (!ownedLoops.shutdown(CLOSE_TIMEOUT)) {
      log.warn("QUIC stage server event loop did not stop within {}", CLOSE_TIMEOUT);
    }
  }

  private ChannelHandler codec(ChannelGroup group, EventLoops loops) throws IOException {
    QuicSslContext ssl;
    try {
      ssl = QuicSslContextBuilder
          .forServer(certificate.privateKey(), null, certificate.certificate())
          .trustManager(new FleetClientTrustManager(acceptClient))
          .clientAuth(ClientAuth.REQUIRE)
          .applicationProtocols(QuicCodecs.ALPN)
          .earlyData(false)
          .build();
    } catch (RuntimeException e) {
      throw new IOException("cannot build the QUIC server TLS context: " + e, e);
    }
    return QuicCodecs.configure(new QuicServerCodecBuilder(), config)
        .sslContext(ssl)
        .tokenHandler(NoRetryTokenHandler.INSTANCE)
        .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
            QuicCodecs.datagramAllocator(loops))
        .handler(new ChannelInitializer<QuicChannel>() {
          @Override
          protected void initChannel(QuicChannel connection) {
            connection.pipeline().addLast(new ConnectionEvents());
            group.add(connection);
          }
        })
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            initStream(stream);
          }
        })
        .build();
  }

  private void initStream(QuicStreamChannel stream) {
    QuicChannel connection = stream.parent();
    String peerSha256;
    try {
      Certificate[] chain = connection.sslEngine().getSession().getPeerCertificates();
      peerSha256 = AgentCertificate.sha256Of((X509Certificate) chain[0]);
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      // Cannot happen with ClientAuth.REQUIRE; refuse rather than serve an unknown peer.
      log.warn("QUIC stage stream from {} without a verified client certificate: {}",
          connection.remoteSocketAddress(), e.toString());
      connection.close();
      return;
    }
    ConnectionEvents events = connection.pipeline().get(ConnectionEvents.class);
    QuicStageLink link = new QuicStageLink(stream, config, peerSha256, connection::close,
        new AtomicBoolean());
    StageStreamHandler.install(stream, link, events, config.maxFrameBytes(), linkHandler,
        linkHandler != null);
  }

  /** Collects what a server needs; {@link #build()} names what is missing. */
  public static final class Builder {
    private AgentCertificate certificate;
    private InetSocketAddress bindAddress;
    private Predicate<String> acceptClient;
    private Consumer<StageLink> linkHandler;
    private QuicStageConfig config = QuicStageConfig.defaults();

    private Builder() {}

    /** The agent's certificate, presented to clients. Required. */
    public Builder certificate(AgentCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /** UDP address to bind; port 0 picks a free port. Required. */
    public Builder bindAddress(InetSocketAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** Which client fingerprints (lower-case hex SHA-256) are served. Required. */
    public Builder acceptClient(Predicate<String> acceptSha256) {
      this.acceptClient = Objects.requireNonNull(acceptSha256, "acceptSha256");
      return this;
    }

    /**
     * Receives each link when its first stage message arrives, on a virtual thread of its own.
     * Without one the server answers probes only and refuses stage data.
     */
    public Builder linkHandler(Consumer<StageLink> linkHandler) {
      this.linkHandler = Objects.requireNonNull(linkHandler, "linkHandler");
      return this;
    }

    public Builder config(QuicStageConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public QuicStageServer build() {
      List<String> missing = new ArrayList<>();
      if (certificate == null) {
        missing.add("certificate");
      }
      if (bindAddress == null) {
        missing.add("bindAddress");
      }
      if (acceptClient == null) {
        missing.add("acceptClient");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("QuicStageServer: missing " + String.join(", ", missing));
      }
      return new QuicStageServer(this);
    }
  }
}
