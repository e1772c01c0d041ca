package dev.meshd.cli.connect;

import dev.meshd.cli.output.DurationText;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns a failed call into the single line that {@code mesh-cli} prints on stderr (DESIGN,
 * "Contract details"): either {@code cannot reach agent at HOST:PORT: <why>} when the call never
 * got an answer, or the status code in words and the server's description
 * ({@code not found: node "x"}) when the agent answered with an error. Stateless.
 */
public final class CallErrorMapper {

  private CallErrorMapper() {}

  /**
   * The one-line message for {@code failure}.
   *
   * @param server the agent that was called, as the user named it
   * @param timeout the deadline the call had, quoted when it expired
   */
  public static String describe(
      StatusRuntimeException failure, ServerAddress server, Duration timeout) {
    Status status = failure.getStatus();
    String unreachable = "cannot reach agent at " + server + ": ";
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> unreachable + "no answer within " + DurationText.format(timeout);
      // A cause means the transport failed locally; an UNAVAILABLE without one was sent by the
      // agent itself (for example "no quorum") and is reported like any refusal.
      case UNAVAILABLE -> status.getCause() != null
          ? unreachable + transportFailure(status)
          : refusal(status);
      // The usual cause is a missing or mistyped token; say where one goes.
      case UNAUTHENTICATED -> refusal(status) + " (pass a token with --token or MESHD_TOKEN)";
      default -> refusal(status);
    };
  }

  private static String refusal(Status status) {
    String words = status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    String description = status.getDescription();
    return description == null || description.isBlank()
        ? words
        : words + ": " + oneLine(description);
  }

  private static String transportFailure(Status status) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      // Netty's ConnectTimeoutException is a ConnectException too; it is shaded, so match by name.
      if (t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return "connection timed out";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
    }
    Throwable root = status.getCause();
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : status.getDescription();
    return message == null ? "unavailable" : oneLine(message);
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
