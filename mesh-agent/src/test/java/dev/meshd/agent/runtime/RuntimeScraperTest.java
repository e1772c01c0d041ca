package dev.meshd.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.meshd.core.capability.CapabilityRecord;
import dev.meshd.core.capability.RuntimeKind;
import dev.meshd.core.config.RuntimeConfig;
import dev.meshd.core.signal.ModelLoad;
import dev.meshd.core.signal.RuntimeSignal;
import dev.meshd.testkit.FreePorts;
import dev.meshd.testkit.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real HTTP server on loopback plays the runtime; its answers come from the fixtures. */
class RuntimeScraperTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  record Answer(int status, String body, boolean hang) {}

  @BeforeEach
  void startFakeRuntime() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(),
          new Answer(404, "not found", false));
      if (answer.hang()) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    http.close();
  }

  @Test
  void aHealthyVllmReportsTheLoadOfItsModel() throws IOException {
    answers.put("/metrics", new Answer(200, fixture("vllm-metrics.txt"), false));
    RuntimeSignal signal = scraper(RuntimeKind.VLLM, List.of("meta-llama/Llama-3.1-8B-Instruct"))
        .scrape();

    assertThat(signal.healthy()).isTrue();
    assertThat(signal.observedAt()).isEqualTo(clock.instant());
    assertThat(signal.models()).containsExactly(new ModelLoad("meta-llama/Llama-3.1-8B-Instruct",
        3, 12, OptionalDouble.of(0.4375)));
  }

  @Test
  void theDecodeRateIsTheCountersGrowthPerSecondPerMeanRunningRequest() throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.VLLM, List.of(MODEL), time);

    answers.put("/metrics", vllm(12, 388_120));
    assertThat(rate(scraper.scrape())).as("one scrape is no window").isEmpty();

    time.advance(Duration.ofSeconds(2));
    answers.put("/metrics", vllm(12, 388_120 + 960));
    assertThat(rate(scraper.scrape())).hasValue(40.0); // 960 tokens / 2 s / 12 running

    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(4, 388_120 + 960 + 100));
    assertThat(rate(scraper.scrape())).hasValue(25.0); // 100 / 0.5 s / mean(12, 4)

    // Idle: the counter stands still, or nothing ran at either end although tokens came out
    // (requests that started and ended between two scrapes): the runtime is as fast as before.
    time.advance(Duration.ofSeconds(3));
    answers.put("/metrics", vllm(0, 388_120 + 960 + 100));
    assertThat(rate(scraper.scrape())).hasValue(25.0);
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(0, 388_120 + 960 + 100 + 64));
    assertThat(rate(scraper.scrape())).hasValue(25.0);

    // The window starts at the last healthy scrape, never at an older one.
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(2, 388_120 + 960 + 100 + 64 + 60));
    assertThat(rate(scraper.scrape())).hasValue(60.0); // 60 / 1 s / mean(0, 2)
  }

  @Test
  void aRestartAnOutageAnAbsurdWindowAndAVanishedModel() throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.VLLM, List.of(MODEL), time);
    answers.put("/metrics", vllm(10, 5_000));
    scraper.scrape();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 5_500));
    assertThat(rate(scraper.scrape())).hasValue(50.0);

    // Restarted: the counter went down. The window is discarded, the figure kept, and the next
    // window starts here.
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 300));
    assertThat(rate(scraper.scrape())).hasValue(50.0);
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 600));
    assertThat(rate(scraper.scrape())).hasValue(30.0);

    // An unhealthy scrape carries no figure and leaves the state: the next window spans it.
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", new Answer(503, "overloaded", false));
    assertThat(scraper.scrape().models()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 600 + 400));
    assertThat(rate(scraper.scrape())).hasValue(20.0); // 400 / 2 s / 10

    // The clock did not move: the figure would be infinite, so it is not published.
    answers.put("/metrics", vllm(10, 600 + 400 + 50));
    assertThat(rate(scraper.scrape())).hasValue(20.0);
    // Nor is one no runtime can reach (an engine joined with a counter of its own).
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(1, 600 + 400 + 50 + 1_000_000));
    assertThat(rate(scraper.scrape())).hasValue(20.0);

    // A model no longer reported drops its state: back, it starts again without a figure.
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", new Answer(200,
        "vllm:num_requests_waiting{model_name=\"other\"} 0\n", false));
    assertThat(scraper.scrape().load(MODEL)).isEmpty();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 10_000));
    assertThat(rate(scraper.scrape())).isEmpty();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 10_100));
    assertThat(rate(scraper.scrape())).hasValue(10.0);

    // An outage longer than 10 scrape intervals (5 s by default): the window is discarded, the
    // figure kept, and the next window starts at the scrape after it.
    answers.put("/metrics", new Answer(503, "overloaded", false));
    time.advance(Duration.ofSeconds(60));
    scraper.scrape();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 70_000));
    assertThat(rate(scraper.scrape())).hasValue(10.0);
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(10, 70_250));
    assertThat(rate(scraper.scrape())).hasValue(25.0);
  }

  @Test
  void shortRequestsBetweenScrapesAreMeasuredFromTheHistogramWhereTheCounterWasWrong()
      throws IOException {
    // 8-token requests at 50 tokens/s (7 intervals of 20 ms after the first token), scraped
    // every 500 ms: most start and finish between two scrapes. The same runtime, scraped once
    // with its inter-token histogram (vLLM from 0.11) and once without (older vLLM: the
    // counter), shows what the running count at a window's ends misses.
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper withHistogram = scraper(RuntimeKind.VLLM, List.of(MODEL), time);
    RuntimeScraper counterOnly = scraper(RuntimeKind.VLLM, List.of(MODEL), time);
    record Scrape(double running, double generated, double itlSeconds, double itlCount) {}
    List<Scrape> scrapes = List.of(
        new Scrape(0, 1_000, 10, 500),
        // two requests came and went: 16 tokens, 14 intervals
        new Scrape(0, 1_016, 10 + 0.28, 514),
        // one came and went, one started 100 ms ago (5 tokens so far, 4 intervals)
        new Scrape(1, 1_029, 10 + 0.28 + 0.22, 525),
        // that one finished (3 more tokens), two more came and went
        new Scrape(0, 1_048, 10 + 0.28 + 0.22 + 0.34, 542));
    List<OptionalDouble> fromHistogram = new ArrayList<>();
    List<OptionalDouble> fromCounter = new ArrayList<>();
    for (Scrape s : scrapes) {
      answers.put("/metrics", vllm(s.running(), s.generated(), s.itlSeconds(), s.itlCount()));
      fromHistogram.add(rate(withHistogram.scrape()));
      answers.put("/metrics", vllm(s.running(), s.generated()));
      fromCounter.add(rate(counterOnly.scrape()));
      time.advance(Duration.ofMillis(500));
    }

    assertThat(fromHistogram.getFirst()).as("one scrape is no window").isEmpty();
    assertThat(fromHistogram.subList(1, 4)).allSatisfy(r ->
        assertThat(r.getAsDouble()).isCloseTo(50.0, within(1e-6)));
    // The counter: nothing running at either end gives no figure; one running at one end
    // divides tokens of three requests by half a request.
    assertThat(fromCounter.get(1)).isEmpty();
    assertThat(fromCounter.get(2)).hasValue(52.0); // 13 / 0.5 s / mean(0, 1)
    assertThat(fromCounter.get(3)).hasValue(76.0); // 19 / 0.5 s / mean(1, 0)
  }

  @Test
  void aHistogramWindowWithoutTokensARestartAndImpossibleSumsKeepTheLastFigure()
      throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.VLLM, List.of(MODEL), time);
    answers.put("/metrics", vllm(4, 5_000, 100, 4_000));
    scraper.scrape();
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(4, 5_100, 102, 4_100));
    assertThat(rate(scraper.scrape())).hasValue(50.0); // 100 tokens / 2 s between them

    // No token in the window (idle, or every request in its prefill): not 0, not infinite.
    time.advance(Duration.ofMillis(500));
    assertThat(rate(scraper.scrape())).hasValue(50.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(0, 5_100, 102, 4_100));
    assertThat(rate(scraper.scrape())).hasValue(50.0);

    // Restarted: both went down. The window is dropped and the next starts at the restart.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 30, 0.5, 25));
    assertThat(rate(scraper.scrape())).hasValue(50.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 55, 1.5, 50));
    assertThat(rate(scraper.scrape())).hasValue(25.0); // 25 tokens / 1 s between them

    // Tokens without time between them, or one engine's restart taking the summed _sum down
    // while the others' _count grew: no figure from such a window.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 65, 1.5, 60));
    assertThat(rate(scraper.scrape())).hasValue(25.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 75, 1.0, 70));
    assertThat(rate(scraper.scrape())).hasValue(25.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 85, 1.5, 80));
    assertThat(rate(scraper.scrape())).hasValue(20.0); // 10 / 0.5 s

    // An outage longer than 10 scrape intervals: its window is dropped, as a counter's is.
    answers.put("/metrics", new Answer(503, "overloaded", false));
    time.advance(Duration.ofSeconds(60));
    scraper.scrape();
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 3_000, 200, 2_900));
    assertThat(rate(scraper.scrape())).hasValue(20.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(2, 3_100, 201, 3_000));
    assertThat(rate(scraper.scrape())).hasValue(100.0);
  }

  @Test
  void aWindowIsMeasuredFromOneKindOfFigureWhenTheHistogramComesAndGoes() throws IOException {
    // SGLang creates its histogram's series at the first token it observes: until then the
    // agent measures from the decode counter. The window across the switch is dropped.
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.SGLANG, List.of(SGLANG_MODEL), time);
    answers.put("/metrics", sglangCounter(9, 1_000));
    scraper.scrape();
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(9, 1_180));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0); // 180 / 0.5 s / 9

    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangHistogram(sglangCounter(9, 1_360), 0.2, 5));
    assertThat(sglangRate(scraper.scrape())).as("switched: no window yet").hasValue(40.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangHistogram(sglangCounter(9, 1_540), 4.2, 105));
    assertThat(sglangRate(scraper.scrape())).hasValue(25.0); // 100 tokens / 4 s between

    // The histogram gone (an older SGLang put back in its place): the counter again, from a
    // new window.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(9, 2_000));
    assertThat(sglangRate(scraper.scrape())).hasValue(25.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(9, 2_135));
    assertThat(sglangRate(scraper.scrape())).hasValue(30.0); // 135 / 0.5 s / 9
  }

  @Test
  void sglangIsMeasuredOverTheTimeItsCounterLumpTookNotOverTheScrapeAfterIt()
      throws IOException {
    // Older SGLang adds to realtime_tokens_total once per decode-log interval (some 40 steps):
    // here 360 tokens every second for 9 running requests, scraped every 500 ms. Closing a
    // window at the scrape where nothing came would measure the next lump over half its time.
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.SGLANG, List.of(SGLANG_MODEL), time);
    answers.put("/metrics", sglangCounter(9, 1_000));
    assertThat(sglangRate(scraper.scrape())).isEmpty();

    time.advance(Duration.ofMillis(500));
    assertThat(sglangRate(scraper.scrape())).as("nothing came yet").isEmpty();
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(9, 1_360));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0); // 360 / 1 s / 9
    time.advance(Duration.ofMillis(500));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(9, 1_720));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0);

    // Idle at one end: the window closes as before and the figure stays.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangCounter(0, 1_720));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0);
  }

  @Test
  void aVllmWindowWithoutTokensIsClosedSoPrefillTimeIsNotCountedAsDecoding() throws IOException {
    // vLLM counts at every step: a window in which requests ran but no token came is one where
    // they were all in their prefill. Unlike SGLang's lumps, it is not merged into the next.
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.VLLM, List.of(MODEL), time);
    answers.put("/metrics", vllm(4, 1_000));
    scraper.scrape();
    time.advance(Duration.ofSeconds(1));
    answers.put("/metrics", vllm(4, 1_200));
    assertThat(rate(scraper.scrape())).hasValue(50.0);

    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(1, 1_200)); // one long prompt in its prefill
    assertThat(rate(scraper.scrape())).hasValue(50.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", vllm(1, 1_220));
    assertThat(rate(scraper.scrape())).hasValue(40.0); // 20 / 0.5 s / 1, not 20 / 1 s / 2.5
  }

  @Test
  void olderSglangIsMeasuredFromItsThroughputGaugeOverItsRunningRequests() throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    RuntimeScraper scraper = scraper(RuntimeKind.SGLANG, List.of(SGLANG_MODEL), time);

    answers.put("/metrics", sglangThroughput(9, 360));
    assertThat(sglangRate(scraper.scrape())).as("SGLang measured the window").hasValue(40.0);

    // A prefill report, or an idle one, sets the gauge to 0: the figure stays.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangThroughput(10, 0));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangThroughput(0, 0));
    assertThat(sglangRate(scraper.scrape())).hasValue(40.0);
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangThroughput(10, 500));
    assertThat(sglangRate(scraper.scrape())).hasValue(50.0);
    // A figure no runtime reaches is not published.
    time.advance(Duration.ofMillis(500));
    answers.put("/metrics", sglangThroughput(1, 5e6));
    assertThat(sglangRate(scraper.scrape())).hasValue(50.0);
  }

  @Test
  void runtimesWithoutADecodeCounterOrThroughputAreNeverMeasured() throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    answers.put("/metrics", new Answer(200, fixture("tgi-metrics.txt"), false));
    RuntimeScraper tgi = scraper(RuntimeKind.TGI, List.of("t"), time);
    tgi.scrape();
    time.advance(Duration.ofSeconds(1));

    assertThat(tgi.scrape().load("t").orElseThrow().decodeTokensPerSecond()).isEmpty();

    // The recorded SGLang body has neither its decode counter nor its throughput gauge.
    answers.put("/metrics", new Answer(200, fixture("sglang-metrics.txt"), false));
    RuntimeScraper sglang = scraper(RuntimeKind.SGLANG, List.of(SGLANG_MODEL), time);
    sglang.scrape();
    time.advance(Duration.ofSeconds(1));
    assertThat(sglangRate(sglang.scrape())).isEmpty();
  }

  @Test
  void modelsComeFromV1ModelsWhenTheConfigNamesNone() throws IOException {
    answers.put("/v1/models", new Answer(200,
        "{\"object\":\"list\",\"data\":[{\"id\":\"bigcode/starcoder2-15b\",\"object\":\"model\"}]}",
        false));
    answers.put("/metrics", new Answer(200, fixture("tgi-metrics.txt"), false));
    RuntimeScraper scraper = scraper(RuntimeKind.TGI, List.of());

    RuntimeSignal signal = scraper.scrape();

    assertThat(scraper.servedModels()).containsExactly("bigcode/starcoder2-15b");
    assertThat(signal.models()).extracting(ModelLoad::model)
        .containsExactly("bigcode/starcoder2-15b");
  }

  @Test
  void failuresAreReasonsOnAnUnhealthySignal() throws IOException {
    RuntimeScraper scraper = scraper(RuntimeKind.VLLM, List.of("m"));
    answers.put("/metrics", new Answer(503, "overloaded", false));
    assertThat(scraper.scrape().reason()).hasValue("GET /metrics: HTTP 503");

    answers.put("/metrics", new Answer(200, "<html>oops</html>", false));
    assertThat(scraper.scrape().reason().orElseThrow())
        .startsWith("/metrics is not the Prometheus text format: line 1:");

    answers.put("/metrics", new Answer(200, fixture("sglang-metrics.txt"), false));
    assertThat(scraper.scrape().reason())
        .hasValue("/metrics has no vllm:num_requests_waiting (is this a vllm runtime?)");

    answers.put("/v1/models", new Answer(200, "{\"data\": []}", false));
    assertThat(scraper(RuntimeKind.VLLM, List.of()).scrape().reason())
        .hasValue("GET /v1/models: the runtime serves no model");
    answers.put("/v1/models", new Answer(200, "not json", false));
    assertThat(scraper(RuntimeKind.VLLM, List.of()).scrape().reason().orElseThrow())
        .startsWith("GET /v1/models: not JSON");
  }

  @Test
  void aHungRuntimeTimesOut() {
    answers.put("/metrics", new Answer(200, "", true));
    RuntimeSignal signal =
        scraper(RuntimeKind.VLLM, List.of("m"), Duration.ofMillis(300)).scrape();
    assertThat(signal.healthy()).isFalse();
    assertThat(signal.reason()).hasValue("GET /metrics: no answer within 300 ms");
  }

  @Test
  void aRuntimeThatIsNotListeningIsUnhealthy() {
    URI closed = URI.create("http://127.0.0.1:" + FreePorts.loopback());
    RuntimeSignal signal = new RuntimeScraper(
        new RuntimeConfig(RuntimeKind.SGLANG, closed, List.of("m")), http, clock,
        Duration.ofMillis(300)).scrape();
    assertThat(signal.reason()).hasValue("GET " + closed.resolve("/metrics")
        + ": connection refused");
  }

  @Test
  void theMonitorExportsMetricsAndPutsDiscoveredModelsInTheRecord() throws IOException {
    answers.put("/v1/models", new Answer(200, "{\"data\":[{\"id\":\"Qwen/Qwen2.5-7B-Instruct\"}]}",
        false));
    answers.put("/metrics", new Answer(200, fixture("sglang-metrics.txt"), false));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<CapabilityRecord> record = new AtomicReference<>(
        new CapabilityRecord(1, "n1", "h1", "", "", Map.of(), java.util.Set.of("gpu"), "test", 7,
            "", "", "", List.of(), List.of()));
    RuntimeConfig runtime = new RuntimeConfig(RuntimeKind.SGLANG, endpoint(), List.of());
    try (RuntimeMonitor monitor = new RuntimeMonitor(List.of(runtime),
        change -> record.updateAndGet(change), registry, clock)) {
      AtomicReference<List<RuntimeSignal>> heard = new AtomicReference<>();
      monitor.onSignals(heard::set);

      monitor.scrapeOnce(0);

      assertThat(record.get().recordVersion()).isEqualTo(8);
      assertThat(record.get().runtimes().getFirst().models())
          .containsExactly("Qwen/Qwen2.5-7B-Instruct");
      assertThat(heard.get()).hasSize(1);
      String label = runtime.label();
      assertThat(registry.scrape())
          .contains("meshd_runtime_up{runtime=\"" + label + "\"} 1.0")
          .contains("meshd_runtime_queue_depth{model=\"Qwen/Qwen2.5-7B-Instruct\",runtime=\""
              + label + "\"} 17.0")
          .contains("meshd_runtime_kv_cache_usage_ratio{model=\"Qwen/Qwen2.5-7B-Instruct\","
              + "runtime=\"" + label + "\"} 0.71")
          .doesNotContain("meshd_runtime_decode_tokens_per_second{");

      // Unchanged models publish nothing; a runtime that goes down drops its model rows.
      monitor.scrapeOnce(0);
      assertThat(record.get().recordVersion()).isEqualTo(8);
      answers.put("/metrics", new Answer(500, "", false));
      monitor.scrapeOnce(0);
      assertThat(registry.scrape())
          .contains("meshd_runtime_up{runtime=\"" + label + "\"} 0.0")
          .doesNotContain("meshd_runtime_queue_depth{");
    }
  }

  @Test
  void theMonitorExportsTheDecodeRateOnlyWhileMeasured() throws IOException {
    ManualClock time = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RuntimeConfig runtime = new RuntimeConfig(RuntimeKind.VLLM, endpoint(), List.of(MODEL));
    String row = "meshd_runtime_decode_tokens_per_second{model=\"" + MODEL + "\",runtime=\""
        + runtime.label() + "\"}";
    try (RuntimeMonitor monitor = new RuntimeMonitor(List.of(runtime), change -> { },
        registry, time)) {
      answers.put("/metrics", vllm(12, 388_120));
      monitor.scrapeOnce(0);
      assertThat(registry.scrape()).contains("meshd_runtime_queue_depth{").doesNotContain(row);

      time.advance(Duration.ofSeconds(2));
      answers.put("/metrics", vllm(12, 388_120 + 1_200));
      monitor.scrapeOnce(0);
      assertThat(registry.scrape()).contains(row + " 50.0");
      assertThat(monitor.signals().getFirst().load(MODEL).orElseThrow()
          .decodeTokensPerSecond()).hasValue(50.0);

      answers.put("/metrics", new Answer(500, "", false));
      monitor.scrapeOnce(0);
      assertThat(registry.scrape()).doesNotContain(row);
    }
  }

  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  /** The recorded vLLM body with {@code running} requests and {@code generated} tokens so far. */
  private Answer vllm(double running, double generated) throws IOException {
    String body = fixture("vllm-metrics.txt")
        .replace("vllm:num_requests_running{engine=\"0\",model_name=\"" + MODEL + "\"} 12.0",
            "vllm:num_requests_running{engine=\"0\",model_name=\"" + MODEL + "\"} " + running)
        .replace("vllm:generation_tokens_total{engine=\"0\",model_name=\"" + MODEL
            + "\"} 388120.0", "vllm:generation_tokens_total{engine=\"0\",model_name=\"" + MODEL
            + "\"} " + generated);
    assertThat(body).contains("} " + running + "\n").contains("} " + generated + "\n");
    return new Answer(200, body, false);
  }

  /**
   * The recorded vLLM body with {@code running} requests, {@code generated} tokens so far and
   * its inter-token latency histogram (vLLM 0.11 on). The recorded body has none: these lines
   * are in the names and labels of vLLM's PrometheusStatLogger (vllm/v1/metrics/loggers.py).
   */
  private Answer vllm(double running, double generated, double itlSeconds, double itlCount)
      throws IOException {
    String labels = "{engine=\"0\",model_name=\"" + MODEL + "\"}";
    return new Answer(200, vllm(running, generated).body()
        + "# TYPE vllm:inter_token_latency_seconds histogram\n"
        + "vllm:inter_token_latency_seconds_bucket{engine=\"0\",le=\"+Inf\",model_name=\""
        + MODEL + "\"} " + itlCount + "\n"
        + "vllm:inter_token_latency_seconds_count" + labels + " " + itlCount + "\n"
        + "vllm:inter_token_latency_seconds_sum" + labels + " " + itlSeconds + "\n", false);
  }

  private static final String SGLANG_MODEL = "Qwen/Qwen2.5-7B-Instruct";

  /**
   * {@code body} with SGLang's inter-token latency histogram, in the names and labels of its
   * TokenizerMetricsCollector (python/sglang/srt/metrics/collector.py); the recorded body has
   * none.
   */
  private static Answer sglangHistogram(Answer body, double itlSeconds, double itlCount) {
    String labels = "{model_name=\"" + SGLANG_MODEL + "\"}";
    return new Answer(200, body.body()
        + "sglang:inter_token_latency_seconds_sum" + labels + " " + itlSeconds + "\n"
        + "sglang:inter_token_latency_seconds_count" + labels + " " + itlCount + "\n", false);
  }

  /** The recorded SGLang body with {@code running} requests and its decode counter. */
  private Answer sglangCounter(double running, double decodeTokens) throws IOException {
    return new Answer(200, sglang(running) + "sglang:realtime_tokens_total{model_name=\""
        + SGLANG_MODEL + "\",mode=\"decode\"} " + decodeTokens + "\n", false);
  }

  /** The recorded SGLang body with {@code running} requests and its throughput gauge. */
  private Answer sglangThroughput(double running, double tokensPerSecond) throws IOException {
    return new Answer(200, sglang(running) + "sglang:gen_throughput{model_name=\""
        + SGLANG_MODEL + "\"} " + tokensPerSecond + "\n", false);
  }

  private String sglang(double running) throws IOException {
    String line = "sglang:num_running_reqs{model_name=\"" + SGLANG_MODEL + "\"} ";
    String body = fixture("sglang-metrics.txt").replace(line + "9.0", line + running);
    assertThat(body).contains(line + running + "\n");
    return body;
  }

  private static OptionalDouble sglangRate(RuntimeSignal signal) {
    return signal.load(SGLANG_MODEL).orElseThrow().decodeTokensPerSecond();
  }

  private static OptionalDouble rate(RuntimeSignal signal) {
    return signal.load(MODEL).orElseThrow().decodeTokensPerSecond();
  }

  /**
   * A scraper whose timeout a loaded 2-core machine never reaches for a runtime that answers
   * (300 ms was reached: a scrape took 706 ms under load and the test failed).
   */
  private RuntimeScraper scraper(RuntimeKind kind, List<String> models) {
    return scraper(kind, models, Duration.ofSeconds(10));
  }

  private RuntimeScraper scraper(RuntimeKind kind, List<String> models, Duration timeout) {
    return new RuntimeScraper(new RuntimeConfig(kind, endpoint(), models), http, clock, timeout);
  }

  private RuntimeScraper scraper(RuntimeKind kind, List<String> models, Clock time) {
    return new RuntimeScraper(new RuntimeConfig(kind, endpoint(), models), http, time,
        Duration.ofSeconds(10));
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private String fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/runtimes/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
