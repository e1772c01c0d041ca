package dev.meshd.router.ingress;

import dev.meshd.router.ScoredTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One try of a request against one target, on its own virtual thread, up to the first byte of
 * the response body: the point after which the proxy commits to the target. Reports exactly one
 * {@link Result} to the queue it was given, unless cancelled first.
 *
 * <p>A connect failure, an I/O error, or a 5xx or 429 status before the first byte is a
 * retryable failure; any other status is passed through to the client as it is.
 */
final class UpstreamAttempt {

  static final int CHUNK_BYTES = 8192;

  /** What an attempt came to. */
  sealed interface Result permits Started, Failed {
    UpstreamAttempt attempt();
  }

  /**
   * The target answered: status, headers, and the first chunk of the body ({@code firstLength}
   * -1 for an empty body). The receiver owns {@code response.body()} and must close it.
   */
  record Started(UpstreamAttempt attempt, HttpResponse<InputStream> response, byte[] first,
      int firstLength) implements Result {}

  /** The target failed before the first byte; {@code reason} is one line for logs and errors. */
  record Failed(UpstreamAttempt attempt, String reason) implements Result {}

  private final ScoredTarget target;
  private final boolean hedge;
  private final HttpClient client;
  private final HttpRequest request;
  private final BlockingQueue<Result> results;
  private volatile boolean cancelled;
  private volatile CompletableFuture<HttpResponse<InputStream>> exchange;
  private volatile InputStream body;
  private volatile Thread thread;

  UpstreamAttempt(ScoredTarget target, boolean hedge, HttpClient client, HttpRequest request,
      BlockingQueue<Result> results) {
    this.target = target;
    this.hedge = hedge;
    this.client = client;
    this.request = request;
    this.results = results;
  }

  ScoredTarget target() {
    return target;
  }

  boolean isHedge() {
    return hedge;
  }

  void start() {
    thread = Thread.ofVirtual().name("ingress-attempt-" + target.candidate().nodeId())
        .start(this::run);
  }

  /** Abandons the attempt: aborts the exchange, closes the body, reports nothing more. */
  void cancel() {
    cancelled = true;
    CompletableFuture<HttpResponse<InputStream>> e = exchange;
    if (e != null) {
      e.cancel(true);
    }
    closeQuietly(body);
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void run() {
    try {
      exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
      HttpResponse<InputStream> response = exchange.get();
      body = response.body();
      if (cancelled) {
        closeQuietly(body);
        return;
      }
      int status = response.statusCode();
      if (status >= 500 || status == 429) {
        closeQuietly(body);
        report(new Failed(this, "HTTP " + status + " from " + target.candidate().runtime()));
        return;
      }
      byte[] first = new byte[CHUNK_BYTES];
      int n = body.read(first);
      report(new Started(this, response, first, n));
    } catch (ExecutionException e) {
      report(new Failed(this, describe(e.getCause())));
    } catch (IOException e) {
      closeQuietly(body);
      report(new Failed(this, describe(e)));
    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
      closeQuietly(body);
    }
  }

  private void report(Result result) {
    if (cancelled) {
      if (result instanceof Started s) {
        closeQuietly(s.response().body());
      }
      return;
    }
    results.add(result);
  }

  private String describe(Throwable t) {
    String what = t == null ? "unknown error" : t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return what + " (" + target.candidate().runtime() + ")";
  }

  static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Closing aborts the exchange; there is nothing left to tell anyone.
      }
    }
  }
}
