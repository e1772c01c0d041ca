package dev.meshd.fakeruntime.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Writes whole (not streamed) HTTP answers. Stateless. */
public final class Replies {

  private Replies() {}

  /** Sends {@code body} with a fixed length and closes the exchange. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    drain(exchange);
    exchange.getResponseHeaders().set("content-type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
    send(exchange, status, "application/json", body);
  }

  /** An OpenAI-style error answer. */
  public static void error(HttpExchange exchange, OpenAiFormat format, int status,
      String message, String type, String param, String code) throws IOException {
    json(exchange, status, format.error(message, type, param, code));
  }

  /**
   * True when the path is exactly the context's path: {@code HttpServer} matches contexts by
   * prefix, so {@code /v1/models/x} would otherwise reach the models handler.
   */
  public static boolean exactPath(HttpExchange exchange) {
    return exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath());
  }

  /** 404 or 405 for a request a handler does not serve; true when one was sent. */
  public static boolean refuseUnless(HttpExchange exchange, OpenAiFormat format, String method)
      throws IOException {
    if (!exactPath(exchange)) {
      error(exchange, format, 404, "no route " + exchange.getRequestURI().getPath(),
          "invalid_request_error", null, "not_found");
      return true;
    }
    if (!exchange.getRequestMethod().equals(method)) {
      exchange.getResponseHeaders().set("allow", method);
      error(exchange, format, 405, exchange.getRequestMethod() + " "
          + exchange.getRequestURI().getPath() + " (expected: " + method + ")",
          "invalid_request_error", null, "method_not_allowed");
      return true;
    }
    return false;
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
