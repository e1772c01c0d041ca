package dev.meshd.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

  @Test
  void theActionRunsWhenTheWatchedProcessIsKilledAndNotBefore() throws Exception {
    Process watched = new ProcessBuilder("sleep", "60").start();
    try {
      CountDownLatch ran = new CountDownLatch(1);
      ParentWatch.onExit(Optional.of(watched.toHandle()), ran::countDown);

      assertThat(ran.await(200, TimeUnit.MILLISECONDS)).as("still alive").isFalse();
      watched.destroyForcibly(); // SIGKILL: the watched process runs no cleanup
      assertThat(ran.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    } finally {
      watched.destroyForcibly();
    }
  }

  @Test
  void aProcessThatHasAlreadyExitedRunsTheActionAtOnce() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor(10, TimeUnit.SECONDS);
    CountDownLatch ran = new CountDownLatch(1);

    ParentWatch.onExit(Optional.of(done.toHandle()), ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void withoutAParentNothingRuns() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    ParentWatch.onExit(Optional.empty(), ran::countDown);
    assertThat(ran.await(100, TimeUnit.MILLISECONDS)).isFalse();
  }
}
