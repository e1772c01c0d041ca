package dev.meshd.fakeruntime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code fake-runtime} command as a process: its start line names the chosen port, and
 * SIGTERM lets a running stream finish before the process exits.
 */
class FakeRuntimeMainIT {

  private static final Pattern LISTENING =
      Pattern.compile("fake-runtime listening on (http://127\\.0\\.0\\.1:\\d+) models=\\[(.*)]");

  @Test
  void printsItsAddressAndFinishesStreamsOnSigterm() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        FakeRuntimeMain.class.getName(), "--listen", "127.0.0.1:0", "--id", "rt-it",
        "--model", "a", "--model", "b", "--tokens-per-second", "20", "--ttft", "0ms")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      Matcher m = LISTENING.matcher(line == null ? "" : line);
      assertThat(m.matches()).as("start line: " + line).isTrue();
      assertThat(m.group(2)).isEqualTo("a, b");
      URI base = URI.create(m.group(1));

      // 20 tokens at 20/s: about a second, most of it after the SIGTERM below.
      HttpResponse<java.util.stream.Stream<String>> stream = http.send(
          HttpRequest.newBuilder(base.resolve("/v1/completions")).POST(
              HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"b\",\"prompt\":\"x\",\"max_tokens\":20,\"stream\":true}"))
              .build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(stream.headers().firstValue(FakeRuntime.ID_HEADER)).hasValue("rt-it");
      var lines = stream.body().iterator();
      assertThat(lines.next()).startsWith("data: ");
      CompletableFuture<List<String>> rest = CompletableFuture.supplyAsync(() -> {
        List<String> all = new java.util.ArrayList<>();
        lines.forEachRemaining(all::add);
        return all;
      });

      process.destroy(); // SIGTERM

      assertThat(rest.get(10, TimeUnit.SECONDS)).contains("data: [DONE]");
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isIn(0, 143);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void withExitWithParentItStopsWhenItsParentIsKilled() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    // A shell starts it in the background, prints its pid and waits: the shell is its parent.
    Process shell = new ProcessBuilder("bash", "-c", "\"$@\" & echo $!; wait",
        "sh", java, "-cp", System.getProperty("java.class.path"),
        FakeRuntimeMain.class.getName(), "--listen", "127.0.0.1:0", "--exit-with-parent")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ProcessHandle runtime = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
          StandardCharsets.UTF_8));
      runtime = ProcessHandle.of(Long.parseLong(out.readLine().strip())).orElseThrow();
      // Started (its parent taken, the watch set) once it says where it listens.
      String line = out.readLine();
      assertThat(line).startsWith("fake-runtime listening on ");

      shell.destroyForcibly(); // SIGKILL: the shell can pass nothing on

      assertThat(runtime.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      if (runtime != null) {
        runtime.destroyForcibly();
      }
      shell.destroyForcibly();
    }
  }

  @Test
  void badOptionsExitWith2() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        FakeRuntimeMain.class.getName(), "--listen", "127.0.0.1:0", "--fail-rate", "2")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("failRate: 2.0 (expected: 0..1)");
  }
}
