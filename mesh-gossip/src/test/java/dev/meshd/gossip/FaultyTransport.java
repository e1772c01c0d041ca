package dev.meshd.gossip;

import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A gossip transport that can be cut off, to model a crashed process (kill -9) in one JVM: once
 * {@link #isolate()} is called nothing is sent or received, like a process that stopped
 * answering without saying goodbye.
 */
final class FaultyTransport implements Transport {

  private final Transport delegate;
  private volatile boolean isolated;

  FaultyTransport(Transport delegate) {
    this.delegate = delegate;
  }

  void isolate() {
    isolated = true;
  }

  @Override
  public String address() {
    return delegate.address();
  }

  @Override
  public Mono<Transport> start() {
    return delegate.start().thenReturn(this);
  }

  @Override
  public Mono<Void> stop() {
    return delegate.stop();
  }

  @Override
  public boolean isStopped() {
    return delegate.isStopped();
  }

  @Override
  public Mono<Void> send(String address, Message message) {
    return isolated ? Mono.empty() : delegate.send(address, message);
  }

  @Override
  public Mono<Message> requestResponse(String address, Message request) {
    return isolated ? Mono.never() : delegate.requestResponse(address, request);
  }

  @Override
  public Flux<Message> listen() {
    return delegate.listen().filter(m -> !isolated);
  }
}
