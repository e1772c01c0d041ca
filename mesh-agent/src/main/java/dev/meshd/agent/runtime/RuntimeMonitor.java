package dev.meshd.agent.runtime;

import dev.meshd.agent.inventory.RecordUpdater;
import dev.meshd.agent.signal.SignalSource;
import dev.meshd.core.capability.RuntimeInfo;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.RuntimeSignal;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every configured runtime on its interval, keeps the latest {@link RuntimeSignal} of
 * each, exports them as metrics, hands each new set to listeners (the fast signal path), and puts
 * discovered model names into the capability record. A runtime going down or coming back is
 * logged once per change, not once per scrape.
 *
 * <p>Each runtime is scraped by one task at a time (fixed delay), on virtual threads, so a slow
 * runtime delays only itself. Thread-safe; {@link #close()} stops the scrapes.
 */
public final class RuntimeMonitor implements SignalSource, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RuntimeMonitor.class);

  private final List<RuntimeScraper> scrapers;
  private final AtomicReferenceArray<RuntimeSignal> latest;
  private final RuntimeMetrics metrics;
  private final RecordUpdater updater;
  private final List<Consumer<List<RuntimeSignal>>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(1, Thread.ofVirtual().name("meshd-runtime-", 0).factory());
  private final HttpClient http;

  public RuntimeMonitor(List<RuntimeConfig> runtimes, RecordUpdater updater,
      MeterRegistry registry, Clock clock) {
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    List<RuntimeScraper> list = new ArrayList<>();
    for (RuntimeConfig runtime : runtimes) {
      list.add(new RuntimeScraper(runtime, http, clock, timeoutFor(runtime)));
    }
    this.scrapers = List.copyOf(list);
    this.latest = new AtomicReferenceArray<>(scrapers.size());
    this.metrics = new RuntimeMetrics(registry);
    this.updater = updater;
  }

  /** Starts scraping; the first scrape of each runtime runs at once. */
  public void start() {
    for (int i = 0; i < scrapers.size(); i++) {
      int index = i;
      long ms = scrapers.get(i).config().scrapeInterval().toMillis();
      timer.scheduleWithFixedDelay(() -> scrapeOnce(index), 0, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Called with the latest signal of every runtime after each scrape. */
  @Override
  public void onSignals(Consumer<List<RuntimeSignal>> listener) {
    listeners.add(listener);
  }

  /** The latest signal of each runtime scraped at least once. */
  @Override
  public List<RuntimeSignal> signals() {
    List<RuntimeSignal> out = new ArrayList<>(scrapers.size());
    for (int i = 0; i < scrapers.size(); i++) {
      RuntimeSignal signal = latest.get(i);
      if (signal != null) {
        out.add(signal);
      }
    }
    return out;
  }

  /** One scrape of runtime {@code index}; public for tests. */
  public void scrapeOnce(int index) {
    try {
      RuntimeScraper scraper = scrapers.get(index);
      RuntimeSignal signal = scraper.scrape();
      RuntimeSignal previous = latest.getAndSet(index, signal);
      logTransition(scraper.config(), previous, signal);
      metrics.update(scraper.config(), signal);
      publishModelsIfChanged();
      List<RuntimeSignal> all = signals();
      for (Consumer<List<RuntimeSignal>> listener : listeners) {
        listener.accept(all);
      }
    } catch (RuntimeException e) {
      // A bug here must not end the scrape schedule of this runtime.
      LOG.warn("runtime scrape failed unexpectedly: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    http.close();
  }

  private void publishModelsIfChanged() {
    List<RuntimeInfo> runtimes = scrapers.stream()
        .map(s -> new RuntimeInfo(s.config().kind(), s.config().endpoint().toString(),
            s.servedModels()))
        .toList();
    updater.update(record -> record.runtimes().equals(runtimes)
        ? record : record.withRuntimes(runtimes));
  }

  private static void logTransition(RuntimeConfig runtime, RuntimeSignal previous,
      RuntimeSignal now) {
    if (previous == null) {
      if (now.healthy()) {
        LOG.info("runtime {}: up, serving {}", runtime.label(), now.models().stream()
            .map(m -> m.model()).toList());
      } else {
        LOG.warn("runtime {}: down: {}", runtime.label(), now.reason().orElse(""));
      }
    } else if (previous.healthy() && !now.healthy()) {
      LOG.warn("runtime {}: down: {}", runtime.label(), now.reason().orElse(""));
    } else if (!previous.healthy() && now.healthy()) {
      LOG.info("runtime {}: up again", runtime.label());
    } else if (!now.healthy() && !previous.reason().equals(now.reason())) {
      LOG.warn("runtime {}: still down: {}", runtime.label(), now.reason().orElse(""));
    }
  }

  /** Twice the interval, within 250 ms..2 s: a scrape never overlaps the next by much. */
  private static Duration timeoutFor(RuntimeConfig runtime) {
    long ms = runtime.scrapeInterval().toMillis() * 2;
    return Duration.ofMillis(Math.clamp(ms, 250, 2_000));
  }
}
