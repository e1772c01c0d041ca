package dev.meshd.cli.connect;

import dev.meshd.cli.output.DurationText;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

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
    return describe(failure, server, timeout, false);
  }

  /**
   * The one-line message for {@code failure} of a call made over TLS ({@code tls}) or plaintext:
   * a failed TLS handshake, or a plaintext call to a TLS agent, names the likely cause and the
   * option that fixes it.
   */
  public static String describe(
      StatusRuntimeException failure, ServerAddress server, Duration timeout, boolean tls) {
    Status status = failure.getStatus();
    String unreachable = "cannot reach agent at " + server + ": ";
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> unreachable + "no answer within " + DurationText.format(timeout);
      // A cause means the transport failed locally; an UNAVAILABLE without one was sent by the
      // agent itself (for example "no quorum") and is reported like any refusal, except the
      // transport's own "network closed", which is what a TLS agent does to a plaintext call.
      case UNAVAILABLE -> isKeepAliveFailure(status)
          ? unreachable + "the connection went silent (keepalive pings unanswered): the agent or"
              + " the network to it is gone"
          : !tls && (isNetworkClosed(status) || isReset(status))
          ? unreachable + "the connection was closed before any answer (is the agent serving"
              + " TLS? try --tls-ca FILE, or --tls)"
          : status.getCause() != null
              ? unreachable + transportFailure(status, server)
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

  /** What gRPC reports when a keepalive ping went unanswered ({@link ChannelFactory}). */
  private static boolean isKeepAliveFailure(Status status) {
    String description = status.getDescription();
    return status.getCause() == null && description != null
        && description.startsWith("Keepalive failed");
  }

  private static boolean isNetworkClosed(Status status) {
    String description = status.getDescription();
    return status.getCause() == null && description != null
        && description.startsWith("Network closed for unknown reason");
  }

  /** A TLS agent resets a plaintext connection as often as it closes it. */
  private static boolean isReset(Status status) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("Connection reset by peer")) {
        return true;
      }
    }
    return false;
  }

  private static String transportFailure(Status status, ServerAddress server) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "TLS handshake failed: " + tlsFailure(status.getCause(), server);
      }
    }
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

  /** The likely cause of a failed handshake, in the user's terms, with the option that helps. */
  private static String tlsFailure(Throwable cause, ServerAddress server) {
    StringBuilder messages = new StringBuilder();
    boolean notTls = false;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      // Netty's NotSslRecordException is shaded: match it by name.
      notTls |= t.getClass().getSimpleName().equals("NotSslRecordException");
      messages.append(' ').append(t.getMessage());
    }
    String all = messages.toString().toLowerCase(Locale.ROOT);
    if (notTls || all.contains("not an ssl/tls record")) {
      return "the agent did not answer in TLS (is it serving plaintext? drop --tls and --tls-ca)";
    }
    if (all.contains("certificate_required") || all.contains("bad_certificate")
        || all.contains("unknown_ca") || all.contains("handshake_failure")) {
      return "the agent requires a client certificate issued by its CA (pass --tls-cert FILE"
          + " and --tls-key FILE)";
    }
    if (all.contains("no subject alternative") || all.contains("no name matching")) {
      return "the agent's certificate does not name " + server.host() + " (its SANs must"
          + " include the host given to --server)";
    }
    if (all.contains("notafter") || all.contains("notbefore")
        || all.contains("validity check failed")) {
      return "the agent's certificate has expired or is not valid yet";
    }
    if (all.contains("certification path") || all.contains("pkix")) {
      return "the agent's certificate is not trusted (pass the CA that issued it with --tls-ca"
          + " FILE)";
    }
    Throwable root = cause;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage());
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
