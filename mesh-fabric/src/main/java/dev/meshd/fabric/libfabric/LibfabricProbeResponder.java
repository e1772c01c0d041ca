package dev.meshd.fabric.libfabric;

import dev.meshd.fabric.libfabric.internal.Backoff;
import dev.meshd.fabric.libfabric.internal.EndpointRequest;
import dev.meshd.fabric.libfabric.internal.FabricCallException;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.FiStructs;
import dev.meshd.fabric.libfabric.internal.LibraryUnavailableException;
import dev.meshd.fabric.libfabric.internal.ProbeResponderLoop;
import dev.meshd.fabric.libfabric.internal.MemoryRegion;
import dev.meshd.fabric.libfabric.internal.RdmEndpoint;
import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The serving side of the libfabric payload probe: one {@code FI_EP_RDM} endpoint of the
 * configured provider ({@code tcp}, so {@code tcp;ofi_rxm} on libfabric 1.17) whose address
 * ({@link #address()}, the {@code fi_getname} bytes) an agent publishes as the opaque endpoint
 * data of its libfabric offer, and which answers any number of {@link LibfabricTcpProbe}
 * clients, one after another or at once.
 *
 * <p>Thread confinement: a dedicated platform thread opens the endpoint, serves, and closes
 * every fid (in the reverse order of opening) and the buffers' arena when stopped; no other
 * thread touches native state. While probes run it polls busily; when idle it backs off to
 * parking 1 ms at a time, since the provider only makes progress (even accepting a connection)
 * when polled.
 *
 * <p>{@link #startRma} opens it for RMA instead, honouring what the provider demands, and
 * registers a region of {@code sendWindow(maxMessageBytes)} slots of {@code maxMessageBytes}
 * for remote writes ({@link #target()}): the {@code rdma} stage transport's responder, which
 * serves one client at a time.
 *
 * <p>Lifecycle: {@link #start} returns once the endpoint is open; {@link #shutdown()} and
 * {@link #close()} are idempotent. The counters are safe to read from any thread.
 */
public final class LibfabricProbeResponder implements AutoCloseable {

  /** How long {@link #start} waits for the endpoint to open, and {@link #close} for its end. */
  private static final Duration OPEN_OR_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** The idle loop's longest park: the delay a first message after a quiet spell may see. */
  private static final long MAX_IDLE_PARK_NANOS = 1_000_000;

  /** What the serving thread hands back once the endpoint is open. */
  private record Opened(byte[] address, String provider, String fabric, String domain,
      Optional<RemoteTarget> target, ProbeResponderLoop loop) {}

  private final CompletableFuture<Opened> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile String failure;

  private LibfabricProbeResponder() {}

  /**
   * Opens the endpoint on a new thread and starts serving.
   *
   * @throws ProbeFailure {@code library_missing}, {@code provider_missing}, or
   *     {@code transport_error} naming the call that failed
   */
  public static LibfabricProbeResponder start(LibfabricTransportConfig config)
      throws ProbeFailure {
    return start(config, false);
  }

  /**
   * Opens an RMA endpoint, registers its target region, and starts serving.
   *
   * @throws ProbeFailure as {@link #start}, and {@code memory_registration_failed} when the
   *     provider refuses to register a buffer
   */
  public static LibfabricProbeResponder startRma(LibfabricTransportConfig config)
      throws ProbeFailure {
    return start(config, true);
  }

  private static LibfabricProbeResponder start(LibfabricTransportConfig config, boolean rma)
      throws ProbeFailure {
    Objects.requireNonNull(config, "config");
    FabricLibrary library;
    try {
      library = FabricLibrary.load(config.library());
    } catch (LibraryUnavailableException e) {
      throw new ProbeFailure(FallbackReason.LIBRARY_MISSING, e.getMessage(), e);
    }
    LibfabricProbeResponder responder = new LibfabricProbeResponder();
    Thread thread = Thread.ofPlatform().daemon().name("meshd-libfabric-responder")
        .start(() -> responder.serve(library, config, rma));
    try {
      responder.opened.get(OPEN_OR_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return responder;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProbeFailure failure) {
        throw failure;
      }
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, String.valueOf(e.getCause()), e);
    } catch (TimeoutException e) {
      responder.shutdown();
      thread.interrupt();
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          "the endpoint did not open within " + OPEN_OR_CLOSE_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      responder.shutdown();
      Thread.currentThread().interrupt();
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, "interrupted while opening");
    }
  }

  /** The serving thread: open, serve until shut down, close everything. */
  private void serve(FabricLibrary library, LibfabricTransportConfig config, boolean rma) {
    RdmEndpoint endpoint;
    try {
      endpoint = RdmEndpoint.open(library, config.provider(), config.node(),
          rma ? EndpointRequest.rma() : EndpointRequest.messaging());
    } catch (FabricCallException e) {
      opened.completeExceptionally(LibfabricTcpProbe.openFailure(e));
      terminated.complete(null);
      return;
    } catch (RuntimeException e) {
      opened.completeExceptionally(e);
      terminated.complete(null);
      return;
    }
    try {
      Optional<RemoteTarget> target = Optional.empty();
      MemorySegment region = null;
      if (rma) {
        int slots = config.sendWindow(config.maxMessageBytes());
        // Zero-filled, so every page is touched before registration (FI_MR_ALLOCATED).
        region = endpoint.arena().allocate((long) slots * config.maxMessageBytes(), 64);
        MemoryRegion registered = endpoint.register(region, FiStructs.FI_REMOTE_WRITE);
        target = Optional.of(new RemoteTarget(registered.key(), registered.targetBase(),
            config.maxMessageBytes(), slots));
      }
      ProbeResponderLoop loop = new ProbeResponderLoop(endpoint, config.maxMessageBytes(),
          config.receiveDepth(), config.sessionTimeout().toNanos(), System::nanoTime, region);
      loop.start();
      opened.complete(new Opened(endpoint.name(), endpoint.info().provider(),
          endpoint.info().fabric(), endpoint.info().domain(), target, loop));
      Backoff backoff = new Backoff(MAX_IDLE_PARK_NANOS);
      while (running) {
        if (loop.runOnce() > 0) {
          backoff.reset();
        } else {
          backoff.idle();
        }
      }
    } catch (FabricCallException | RuntimeException e) {
      failure = e.getMessage();
      opened.completeExceptionally(e instanceof FabricCallException call
          ? LibfabricTcpProbe.openFailure(call) : e);
    } finally {
      try {
        endpoint.close();
      } catch (RuntimeException e) {
        // Nothing is left to serve; the failed fi_close is all there is to say.
        if (failure == null) {
          failure = e.getMessage();
        }
      }
      terminated.complete(null);
    }
  }

  /** The endpoint's {@code fi_getname} bytes: what a client passes to {@code fi_av_insert}. */
  public byte[] address() {
    return opened.join().address().clone();
  }

  /** The provider libfabric chose, e.g. {@code tcp;ofi_rxm}. */
  public String provider() {
    return opened.join().provider();
  }

  /** The fabric libfabric chose, e.g. {@code 127.0.0.1/32}. */
  public String fabric() {
    return opened.join().fabric();
  }

  /** The domain libfabric chose, e.g. {@code lo} or {@code mlx5_0}. */
  public String domain() {
    return opened.join().domain();
  }

  /** The region clients write into: present when started with {@link #startRma}. */
  public Optional<RemoteTarget> target() {
    return opened.join().target();
  }

  /** Whether it still serves: not shut down, and the completion queue has not failed. */
  public boolean isRunning() {
    return running && !terminated.isDone();
  }

  /** Why serving stopped on its own, if it did. */
  public String failure() {
    return failure;
  }

  /** Probes answered with a verdict. */
  public long sessionsServed() {
    return opened.join().loop().sessionsServed();
  }

  /** Probes begun and not yet ended (or expired): their peers are in the address vector. */
  public long sessionsOpen() {
    return opened.join().loop().sessionsOpen();
  }

  /** Bulk messages whose CRC32C matched, over all probes. */
  public long messagesVerified() {
    return opened.join().loop().messagesVerified();
  }

  /** HELLOs refused (an unusable address, or fi_av_insert failed). */
  public long rejected() {
    return opened.join().loop().rejected();
  }

  /** Stops serving; the future completes when every fid is closed. Idempotent. */
  public CompletableFuture<Void> shutdown() {
    running = false;
    return terminated;
  }

  /** {@link #shutdown()}, then waits (at most 10 s) for the serving thread to close all. */
  @Override
  public void close() {
    try {
      shutdown().get(OPEN_OR_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The thread is a daemon stuck in native code; nothing more can be done from here.
    }
  }
}
