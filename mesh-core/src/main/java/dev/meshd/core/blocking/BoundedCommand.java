package dev.meshd.core.blocking;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a tool such as {@code nvidia-smi} as a child process with a deadline, and kills it (and
 * anything it started) when the deadline passes: a hung driver makes such tools block forever,
 * and the agent must not block with them.
 *
 * <p>Stdout and stderr are drained concurrently, on virtual threads, so that a chatty child
 * never stalls on a full pipe; each is capped at {@link #MAX_OUTPUT_BYTES}. Stateless and
 * thread-safe: every call has its own process.
 */
public final class BoundedCommand {

  /** Output beyond this is discarded: a runaway child must not exhaust the agent's small heap. */
  public static final int MAX_OUTPUT_BYTES = 1 << 20;

  /** How a run ended. */
  public sealed interface Outcome {
    /** The child exited on its own. */
    record Exited(int status, String stdout, String stderr) implements Outcome {}

    /** The deadline passed; the child and its descendants were killed. */
    record TimedOut(Duration timeout) implements Outcome {}

    /** The child could not be started, e.g. not executable. */
    record NotStarted(String reason) implements Outcome {}
  }

  private BoundedCommand() {}

  /**
   * Runs {@code command} with exactly {@code environment} (not the agent's own), stdin closed.
   */
  public static Outcome run(List<String> command, Map<String, String> environment,
      Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Outcome.NotStarted(e.getMessage());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        return new Outcome.TimedOut(timeout);
      }
      // A grandchild may still hold the pipes open after the child exits: bound that too.
      long left = Math.max(0, deadline - System.nanoTime());
      String out = stdout.get(left, TimeUnit.NANOSECONDS);
      String err = stderr.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return new Outcome.Exited(process.exitValue(), out, err);
    } catch (TimeoutException e) {
      kill(process);
      return new Outcome.TimedOut(timeout);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return new Outcome.NotStarted("interrupted while waiting");
    } catch (ExecutionException e) {
      kill(process);
      return new Outcome.NotStarted("cannot read its output: " + e.getCause().getMessage());
    }
  }

  /**
   * The first executable file named {@code name} in the directories of {@code pathVariable}
   * ({@code PATH} syntax), as a shell would find it.
   */
  public static Optional<Path> findOnPath(String name, String pathVariable) {
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        // An empty entry means the working directory; a daemon must not depend on it.
        continue;
      }
      try {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      } catch (InvalidPathException e) {
        // A malformed PATH entry cannot hold the tool; look at the next one.
      }
    }
    return Optional.empty();
  }

  /** {@code 500ms}, {@code 10s}: how operators write durations in the config. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  private static void kill(Process process) {
    // Descendants first: once the child is dead they are re-parented and no longer found.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread.ofVirtual().name("meshd-command-output").start(() -> {
      try (in) {
        byte[] kept = in.readNBytes(MAX_OUTPUT_BYTES);
        in.transferTo(OutputStream.nullOutputStream());
        result.complete(new String(kept, StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }
}
