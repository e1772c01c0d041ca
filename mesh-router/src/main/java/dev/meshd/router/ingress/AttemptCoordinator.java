package dev.meshd.router.ingress;

import dev.meshd.core.policy.Hedging;
import dev.meshd.router.ScoredTarget;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the attempts of one request over its ranked targets until one answers: the best target
 * first; after a retryable failure before the first byte, the next one (at most {@code
 * maxAttempts} in all); with hedging on, a second attempt on the next target when the first has
 * not answered within the hedge delay, keeping whichever answers first and cancelling the
 * other. One coordinator per request, used from the request's thread.
 */
final class AttemptCoordinator {

  /** How it ended: a started response (the caller streams it), or every attempt failed. */
  sealed interface Outcome permits Answered, Exhausted {}

  /** {@code started.attempt().isHedge()} tells whether the hedge won. */
  record Answered(UpstreamAttempt.Started started, int retries, boolean hedged)
      implements Outcome {}

  record Exhausted(List<String> failures, int retries, boolean hedged) implements Outcome {}

  private final HttpClient client;
  private final Function<ScoredTarget, HttpRequest> requests;
  private final Consumer<ScoredTarget> onDispatch;

  AttemptCoordinator(HttpClient client, Function<ScoredTarget, HttpRequest> requests,
      Consumer<ScoredTarget> onDispatch) {
    this.client = client;
    this.requests = requests;
    this.onDispatch = onDispatch;
  }

  Outcome run(List<ScoredTarget> targets, int maxAttempts, Hedging hedging)
      throws InterruptedException {
    LinkedBlockingQueue<UpstreamAttempt.Result> results = new LinkedBlockingQueue<>();
    List<UpstreamAttempt> active = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int limit = Math.min(maxAttempts, targets.size());
    int launched = 0;
    int retries = 0;
    boolean hedged = false;
    long hedgeAtNanos = System.nanoTime() + hedging.delay().toNanos();
    try {
      active.add(launch(targets.get(launched++), false, results));
      while (true) {
        boolean mayHedge = hedging.enabled() && !hedged && launched < limit;
        UpstreamAttempt.Result result = mayHedge
            ? results.poll(Math.max(0, hedgeAtNanos - System.nanoTime()), TimeUnit.NANOSECONDS)
            : results.take();
        if (result == null) {
          active.add(launch(targets.get(launched++), true, results));
          hedged = true;
          continue;
        }
        active.remove(result.attempt());
        switch (result) {
          case UpstreamAttempt.Started started -> {
            return new Answered(started, retries, hedged);
          }
          case UpstreamAttempt.Failed failed -> {
            failures.add(failed.reason());
            if (active.isEmpty()) {
              if (launched >= limit) {
                return new Exhausted(failures, retries, hedged);
              }
              active.add(launch(targets.get(launched++), false, results));
              retries++;
            }
          }
        }
      }
    } finally {
      active.forEach(UpstreamAttempt::cancel);
    }
  }

  private UpstreamAttempt launch(ScoredTarget target, boolean hedge,
      LinkedBlockingQueue<UpstreamAttempt.Result> results) {
    UpstreamAttempt attempt = new UpstreamAttempt(target, hedge, client, requests.apply(target),
        results);
    onDispatch.accept(target);
    attempt.start();
    return attempt;
  }
}
