package dev.meshd.fabric.rdma;

import dev.meshd.core.blocking.BoundedNativeCall;
import dev.meshd.fabric.libfabric.internal.EndpointRequest;
import dev.meshd.fabric.libfabric.internal.FabricCallException;
import dev.meshd.fabric.libfabric.internal.FabricLibrary;
import dev.meshd.fabric.libfabric.internal.LibraryUnavailableException;
import dev.meshd.fabric.libfabric.internal.RdmEndpoint;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which of the configured providers this host can open an RMA endpoint with: for each, in
 * order, an endpoint is opened with {@link EndpointRequest#rma()} (so a provider that demands
 * what meshd does not honour is absent) and closed again. The whole check runs on a thread of
 * its own and is waited for at most the config's native timeout ({@link BoundedNativeCall}):
 * {@code fi_getinfo} initialises every provider, and one stuck in its driver would otherwise
 * hold the caller. Thread-safe: checks through one instance run one at a time.
 */
final class ProviderCheck {

  /** What the check found: the providers that opened, and why each other one did not. */
  record Result(List<OfferedProvider> available, List<String> reasons) {
    Result {
      available = List.copyOf(available);
      reasons = List.copyOf(reasons);
    }
  }

  private sealed interface Outcome {
    record Found(Result result) implements Outcome {}

    record Missing(ProbeFailure failure) implements Outcome {}
  }

  private final RdmaTransportConfig config;
  private final BoundedNativeCall calls = new BoundedNativeCall("libfabric", "meshd-rdma-check");

  ProviderCheck(RdmaTransportConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Runs the check.
   *
   * @throws ProbeFailure {@code library_missing} without libfabric; {@code transport_error}
   *     when the check did not end within the timeout
   */
  Result run() throws ProbeFailure {
    return switch (calls.call(this::check, config.nativeTimeout())) {
      case BoundedNativeCall.Outcome.Done<Outcome>(Outcome.Found(Result result)) -> result;
      case BoundedNativeCall.Outcome.Done<Outcome>(Outcome.Missing(ProbeFailure failure)) ->
          throw failure;
      case BoundedNativeCall.Outcome.Failed<Outcome>(String message) ->
          throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR, message);
    };
  }

  private Outcome check() {
    FabricLibrary library;
    try {
      library = FabricLibrary.load(config.endpoints().library());
    } catch (LibraryUnavailableException e) {
      return new Outcome.Missing(
          new ProbeFailure(FallbackReason.LIBRARY_MISSING, e.getMessage(), e));
    }
    List<OfferedProvider> available = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (String asked : config.providers()) {
      try (RdmEndpoint endpoint = RdmEndpoint.open(library, asked, config.endpoints().node(),
          EndpointRequest.rma())) {
        available.add(new OfferedProvider(asked, endpoint.info().provider(),
            endpoint.info().fabric(), endpoint.info().domain()));
      } catch (FabricCallException | RuntimeException e) {
        reasons.add(asked + ": " + e.getMessage());
      }
    }
    return new Outcome.Found(new Result(available, reasons));
  }
}
