package dev.meshd.gossip.internal;

import io.netty.channel.ChannelOption;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.cluster.transport.api.TransportFactory;
import io.scalecube.transport.netty.Receiver;
import io.scalecube.transport.netty.Sender;
import io.scalecube.transport.netty.TransportImpl;
import io.scalecube.transport.netty.TransportImpl.ReceiverContext;
import io.scalecube.transport.netty.TransportImpl.SenderContext;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * scalecube's TCP transport, but listening on one configured interface.
 *
 * <p>scalecube 2.7.7's {@code TcpTransportFactory} binds the wildcard address: an agent
 * configured for {@code 127.0.0.1:7946} would accept gossip from every network. Same wire
 * format (4-byte length frames) as the stock transport.
 */
public final class BoundTcpTransportFactory implements TransportFactory {

  private final String bindHost;

  public BoundTcpTransportFactory(String bindHost) {
    this.bindHost = bindHost;
  }

  @Override
  public Transport createTransport(TransportConfig config) {
    return new TransportImpl(
        config.messageCodec(), new BoundReceiver(bindHost, config), new FramedSender(config),
        config.addressMapper());
  }

  private record BoundReceiver(String host, TransportConfig config) implements Receiver {
    @Override
    public Mono<DisposableServer> bind() {
      return Mono.deferContextual(ctx -> Mono.just(ctx.get(ReceiverContext.class)))
          .flatMap(
              context ->
                  TcpServer.create()
                      .runOn(context.loopResources())
                      .host(host)
                      .port(config.port())
                      .childOption(ChannelOption.TCP_NODELAY, true)
                      .childOption(ChannelOption.SO_KEEPALIVE, true)
                      .doOnChannelInit(
                          (observer, channel, remote) ->
                              new LengthFramedChannelInitializer(config.maxFrameLength())
                                  .accept(observer, channel))
                      .handle(
                          (in, out) ->
                              in.receive().retain().doOnNext(context::onMessage).then())
                      .bind()
                      .cast(DisposableServer.class));
    }
  }

  private record FramedSender(TransportConfig config) implements Sender {
    @Override
    public Mono<Connection> connect(String address) {
      int colon = address.lastIndexOf(':');
      String host = address.substring(0, colon);
      int port = Integer.parseInt(address.substring(colon + 1));
      return Mono.deferContextual(ctx -> Mono.just(ctx.get(SenderContext.class)))
          .flatMap(
              context ->
                  TcpClient.newConnection()
                      .runOn(context.loopResources())
                      .host(host)
                      .port(port)
                      .option(ChannelOption.TCP_NODELAY, true)
                      .option(ChannelOption.SO_KEEPALIVE, true)
                      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeout())
                      .doOnChannelInit(
                          (observer, channel, remote) ->
                              new LengthFramedChannelInitializer(config.maxFrameLength())
                                  .accept(observer, channel))
                      .connect());
    }

    @Override
    public Mono<Void> send(Message message) {
      return Mono.deferContextual(
          ctx -> {
            Connection connection = ctx.get(Connection.class);
            SenderContext senderContext = ctx.get(SenderContext.class);
            return connection
                .outbound()
                .sendObject(Mono.just(message).map(senderContext.messageEncoder()), bb -> true)
                .then();
          });
    }
  }
}
