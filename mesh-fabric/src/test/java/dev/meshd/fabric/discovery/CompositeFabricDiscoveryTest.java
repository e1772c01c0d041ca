package dev.meshd.fabric.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshd.core.fabric.FabricInventory;
import dev.meshd.core.fabric.GpuLinkKind;
import dev.meshd.core.fabric.GpuPeerLink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompositeFabricDiscoveryTest {

  private static final FabricInventory NVLINK = new FabricInventory(List.of(),
      List.of(new GpuPeerLink(0, 1, GpuLinkKind.NVLINK, 18)), List.of(), List.of(), List.of());

  @Test
  void mergesTheSourcesInTheOrderTheyWereAdded() {
    CompositeFabricDiscovery discovery = CompositeFabricDiscovery.builder()
        .source("sysfs-rdma", new SysfsRdmaDiscovery(Fixtures.path("sysfs")))
        .source("gpu-topology", () -> NVLINK)
        .source("rocm-smi", () -> FabricInventory.absent("rocm-smi not found on PATH"))
        .build();

    FabricInventory inventory = discovery.discover();

    assertThat(discovery.sourceNames()).containsExactly("sysfs-rdma", "gpu-topology", "rocm-smi");
    assertThat(inventory.rdmaPorts()).extracting(p -> p.device())
        .containsExactly("mlx5_0", "mlx5_1");
    assertThat(inventory.gpuPeerLinks()).isEqualTo(NVLINK.gpuPeerLinks());
    assertThat(inventory.reasons()).containsExactly("rocm-smi not found on PATH");
  }

  @Test
  void aSourceThatThrowsIsAReasonAndTheOthersStillCount() {
    CompositeFabricDiscovery discovery = CompositeFabricDiscovery.builder()
        .source("broken", () -> {
          throw new IllegalStateException("boom");
        })
        .source("gpu-topology", () -> NVLINK)
        .build();

    FabricInventory inventory = discovery.discover();

    assertThat(inventory.gpuPeerLinks()).isEqualTo(NVLINK.gpuPeerLinks());
    assertThat(inventory.reasons())
        .containsExactly("broken: failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void aHungSourceIsBoundedAndNotStartedAgainWhileItHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CompositeFabricDiscovery discovery = CompositeFabricDiscovery.builder()
        .source("nvml", () -> {
          runs.incrementAndGet();
          awaitQuietly(release);
          return NVLINK;
        })
        .source("sysfs-rdma", () -> FabricInventory.absent("no /sys/class/infiniband"))
        .timeout(Duration.ofMillis(200))
        .build();

    long start = System.nanoTime();
    FabricInventory first = discovery.discover();
    FabricInventory second = discovery.discover();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(first.reasons())
        .containsExactly("nvml: no answer within 200ms", "no /sys/class/infiniband");
    assertThat(second).isEqualTo(first);
    assertThat(runs).hasValue(1);

    release.countDown();
    FabricInventory third = discovery.discover();

    // The run that hung has answered: its answer counts, and nothing was started meanwhile.
    assertThat(third.gpuPeerLinks()).isEqualTo(NVLINK.gpuPeerLinks());
    assertThat(runs).hasValue(1);
    discovery.discover();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aSourceThatFailsAfterAnsweringKeepsItsLastAnswer() {
    AtomicInteger runs = new AtomicInteger();
    CompositeFabricDiscovery discovery = CompositeFabricDiscovery.builder()
        .source("gpu-topology", () -> {
          if (runs.incrementAndGet() > 1) {
            throw new IllegalStateException("driver reset");
          }
          return NVLINK;
        })
        .build();

    discovery.discover();
    FabricInventory afterFailure = discovery.discover();

    assertThat(afterFailure.gpuPeerLinks()).isEqualTo(NVLINK.gpuPeerLinks());
    assertThat(afterFailure.reasons()).containsExactly("gpu-topology: failed: "
        + "java.lang.IllegalStateException: driver reset; showing its last answer");
  }

  @Test
  void namesMustBeShortAndUnique() {
    CompositeFabricDiscovery.Builder builder =
        CompositeFabricDiscovery.builder().source("sysfs-rdma", FabricInventory::empty);

    assertThatThrownBy(() -> builder.source("sysfs-rdma", FabricInventory::empty))
        .hasMessage("name: 'sysfs-rdma' (expected: unique; added twice)");
    assertThatThrownBy(() -> builder.source("Sys FS", FabricInventory::empty))
        .hasMessageStartingWith("name: 'Sys FS' (expected: lower-case letters");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: > 0)");
  }

  @Test
  void firstFoundFallsBackOnlyWhenThePreferredSourceFoundNothing() {
    AtomicInteger fallbackRuns = new AtomicInteger();
    FabricDiscovery fallback = () -> {
      fallbackRuns.incrementAndGet();
      return NVLINK;
    };

    FabricInventory preferred =
        FabricDiscovery.firstFound(() -> NVLINK, fallback).discover();
    FabricInventory fellBack = FabricDiscovery.firstFound(
        () -> FabricInventory.absent("NVML: libnvidia-ml.so.1 not found"), fallback).discover();

    assertThat(preferred).isEqualTo(NVLINK);
    assertThat(fellBack.gpuPeerLinks()).isEqualTo(NVLINK.gpuPeerLinks());
    assertThat(fellBack.reasons()).containsExactly("NVML: libnvidia-ml.so.1 not found");
    assertThat(fallbackRuns).hasValue(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
