package dev.meshd.agent.runtime;

import dev.meshd.core.signal.ModelLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Measures each model's decode rate from one runtime's generated-token counter: between two
 * healthy scrapes, {@code Δ counter / Δ seconds / mean running requests}, where the mean is that
 * of the running gauge at both scrapes. A window is the time since the previous healthy scrape,
 * or longer when the counter stood still while requests ran (below); every measured window
 * replaces the figure.
 *
 * <ul>
 *   <li>No figure until a second scrape gives a window.
 *   <li>For a runtime whose counter grows in lumps (SGLang: older versions add to it once per
 *       decode-log interval of some 40 steps), a window in which the counter did not grow while
 *       requests were running at both ends is not closed: the next one starts where it started,
 *       so the lump is measured over the time it took, not over the scrape interval after it.
 *       For a runtime that counts at every step (vLLM) such a window is one where every running
 *       request was still in its prefill: it is closed and keeps the last figure, so prefill
 *       time is not counted as decoding.
 *   <li>A window in which the counter did not grow and no request ran at one end, or in which no
 *       request ran at either end, keeps the last figure: an idle runtime decodes as fast as
 *       when it was last busy. (Tokens of requests that came and went between two scrapes cannot
 *       be divided by anything.)
 *   <li>A counter that went down (the runtime or one of its engines restarted) discards the
 *       window and starts a new one; the last figure stays, the hardware did not change.
 *   <li>A figure that comes out absurd (not finite, because the clock did not move or went back,
 *       or above {@link #MAX_PLAUSIBLE}, because an engine joined with its own counter) is not
 *       published; the window is discarded and the last figure stays.
 *   <li>A window longer than {@link #LONGEST_WINDOW_INTERVALS} scrape intervals (the runtime
 *       was unreachable in between, or the agent was paused) is discarded and the last figure
 *       stays: its mean running requests would come from its two ends only, which says little
 *       about the minutes between.
 *   <li>A model that is no longer reported, or whose counter disappeared, drops its state.
 * </ul>
 *
 * <p>A runtime that exports no counter but its own throughput gauge ({@link
 * ModelReading#generationThroughput()}) is measured at each scrape as that throughput divided by
 * the running requests; a scrape with a throughput of 0 or no running request keeps the last
 * figure (the runtime was idle, or its last report was of a prefill), and so does an absurd one.
 *
 * <p>An unhealthy scrape is not shown to this class at all, so it keeps its state. Not
 * thread-safe: owned by one {@link RuntimeScraper}, which scrapes one at a time.
 */
final class DecodeRates {

  /**
   * Tokens per second per request above which a window is taken as broken, not fast: today's
   * fastest serving stacks decode one request at a few thousand tokens per second.
   */
  static final double MAX_PLAUSIBLE = 100_000;

  /** The longest window measured, in scrape intervals. */
  static final int LONGEST_WINDOW_INTERVALS = 10;

  /** The counter and the running gauge of one model at one scrape. */
  private record Point(double tokens, double running, Instant at) {}

  /**
   * Where the next window starts (null for a model measured from a throughput gauge), and the
   * last figure measured.
   */
  private record State(Point base, OptionalDouble rate) {}

  private final Map<String, State> byModel = new HashMap<>();
  private final Duration longestWindow;
  private final boolean counterGrowsInLumps;

  /**
   * Rates of a runtime scraped every {@code scrapeInterval}, whose counter grows at every decode
   * step or, when {@code counterGrowsInLumps}, possibly only every few scrapes.
   */
  DecodeRates(Duration scrapeInterval, boolean counterGrowsInLumps) {
    this.longestWindow = scrapeInterval.multipliedBy(LONGEST_WINDOW_INTERVALS);
    this.counterGrowsInLumps = counterGrowsInLumps;
  }

  /**
   * The loads of one healthy scrape taken at {@code at}, each with its decode rate where one is
   * measured; moves every window on to {@code at}, but for those kept open.
   */
  List<ModelLoad> measure(List<ModelReading> readings, Instant at) {
    Map<String, State> next = new HashMap<>();
    List<ModelLoad> loads = new ArrayList<>(readings.size());
    for (ModelReading reading : readings) {
      State before = byModel.get(reading.model());
      OptionalDouble last = before == null ? OptionalDouble.empty() : before.rate();
      State after;
      if (reading.generationTokensTotal().isPresent()) {
        Point now = new Point(reading.generationTokensTotal().getAsDouble(),
            reading.load().runningRequests(), at);
        after = hasOpenWindow(before, at) ? next(before, now) : new State(now, last);
      } else if (reading.generationThroughput().isPresent()) {
        after = new State(null, fromThroughput(reading.generationThroughput().getAsDouble(),
            reading.load().runningRequests(), last));
      } else {
        loads.add(reading.load());
        continue;
      }
      next.put(reading.model(), after);
      loads.add(reading.load().withDecodeTokensPerSecond(after.rate()));
    }
    byModel.clear();
    byModel.putAll(next);
    return loads;
  }

  /**
   * Whether {@code before} has a window a scrape at {@code at} can close: none before a model's
   * first counter reading, and none once the window is longer than {@link #longestWindow}.
   */
  private boolean hasOpenWindow(State before, Instant at) {
    return before != null && before.base() != null
        && Duration.between(before.base().at(), at).compareTo(longestWindow) <= 0;
  }

  /** The state after the window from {@code before}'s base to {@code now}. */
  private State next(State before, Point now) {
    Point base = before.base();
    double tokens = now.tokens() - base.tokens();
    if (counterGrowsInLumps && tokens == 0 && base.running() > 0 && now.running() > 0) {
      return before; // not a token while requests ran: the window stays open
    }
    double meanRunning = (base.running() + now.running()) / 2;
    if (tokens <= 0 || meanRunning == 0) {
      return new State(now, before.rate()); // restarted (< 0) or idle
    }
    double seconds = Duration.between(base.at(), now.at()).toNanos() / 1e9;
    double rate = tokens / seconds / meanRunning;
    return new State(now, seconds > 0 ? plausible(rate, before.rate()) : before.rate());
  }

  /** The figure from a runtime's own throughput over its batch of {@code running} requests. */
  private static OptionalDouble fromThroughput(double tokensPerSecond, double running,
      OptionalDouble last) {
    return tokensPerSecond > 0 && running > 0 ? plausible(tokensPerSecond / running, last)
        : last;
  }

  /** {@code rate} when it can be a decode rate, else {@code last}. */
  private static OptionalDouble plausible(double rate, OptionalDouble last) {
    return rate > 0 && Double.isFinite(rate) && rate <= MAX_PLAUSIBLE ? OptionalDouble.of(rate)
        : last;
  }
}
