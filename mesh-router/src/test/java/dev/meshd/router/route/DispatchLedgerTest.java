package dev.meshd.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DispatchLedgerTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final DispatchLedger ledger = new DispatchLedger(nanos::get);

  @Test
  void countsOnlySendsInsideTheWindow() {
    ledger.recordDispatch("n1/a");
    nanos.addAndGet(Duration.ofMillis(300).toNanos());
    ledger.recordDispatch("n1/a");
    ledger.recordDispatch("n1/a");
    nanos.addAndGet(Duration.ofMillis(100).toNanos());

    assertThat(ledger.sentWithin("n1/a", Duration.ofMillis(200))).isEqualTo(2);
    assertThat(ledger.sentWithin("n1/a", Duration.ofMillis(500))).isEqualTo(3);
    assertThat(ledger.sentWithin("n1/a", Duration.ZERO)).isZero();
    assertThat(ledger.sentWithin("n2/a", Duration.ofSeconds(1))).isZero();
  }

  @Test
  void keepsABoundedHistoryPerTarget() {
    for (int i = 0; i < DispatchLedger.PER_TARGET * 3; i++) {
      nanos.incrementAndGet();
      ledger.recordDispatch("n1/a");
    }
    assertThat(ledger.sentWithin("n1/a", Duration.ofHours(1)))
        .isEqualTo(DispatchLedger.PER_TARGET);
  }

  @Test
  void forgetsTargetsThatAreGone() {
    ledger.recordDispatch("n1/a");
    ledger.recordDispatch("n2/a");
    ledger.retainOnly(Set.of("n2/a"));
    assertThat(ledger.sentWithin("n1/a", Duration.ofHours(1))).isZero();
    assertThat(ledger.sentWithin("n2/a", Duration.ofHours(1))).isEqualTo(1);
  }
}
