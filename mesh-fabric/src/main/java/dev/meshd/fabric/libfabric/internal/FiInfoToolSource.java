package dev.meshd.fabric.libfabric.internal;

import dev.meshd.core.blocking.BoundedCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Runs the {@code fi_info} tool: {@code fi_info -l} once for the providers built in, then
 * {@code fi_info -p <provider>} for each asked-for provider whose parts are all built in. Each
 * run is bounded ({@link BoundedCommand}): a hung provider must not hang the agent. Stateless
 * apart from its settings; thread-safe.
 */
// BoundedCommand lives in mesh-core's gpu.internal: the same bounded runner the GPU probes use,
// rather than a second copy here.
public final class FiInfoToolSource implements ProviderSource {

  private final Path executable;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * @param executable the {@code fi_info} binary
   * @param environment the child's exact environment
   * @param timeout longest one run may take
   */
  public FiInfoToolSource(Path executable, Map<String, String> environment, Duration timeout) {
    this.executable = Objects.requireNonNull(executable, "executable");
    this.environment = Map.copyOf(environment);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public List<Answer> query(List<String> providers) {
    List<Answer> answers = new ArrayList<>(providers.size());
    Run list = run("-l");
    if (list.failure() != null) {
      providers.forEach(p -> answers.add(new Answer.Failed(list.failure())));
      return answers;
    }
    Map<String, String> built = FiInfoTextParser.parseList(list.stdout());
    for (String provider : providers) {
      List<String> missing = new ArrayList<>();
      for (String part : provider.split(";")) {
        if (!built.containsKey(part)) {
          missing.add(part);
        }
      }
      answers.add(missing.isEmpty()
          ? query(provider)
          : new Answer.Absent("fi_info -l does not list " + String.join(", ", missing)));
    }
    return answers;
  }

  private Answer query(String provider) {
    Run run = run("-p", provider);
    if (run.failure() != null) {
      return new Answer.Failed(run.failure());
    }
    if (run.status() == 0) {
      FiInfoTextParser.Providers parsed = FiInfoTextParser.parseProviders(run.stdout());
      return new Answer.Found(parsed.entries(), parsed.problems());
    }
    OptionalInt errno = FiInfoTextParser.getinfoError(run.stderr() + "\n" + run.stdout());
    if (errno.isPresent()) {
      int e = errno.getAsInt();
      return new Answer.Absent("fi_info: fi_getinfo: -" + e
          + FiInfoTextParser.errnoText(e).map(t -> " " + t).orElse(""));
    }
    return new Answer.Failed("fi_info -p " + provider + " exited with status " + run.status()
        + ": " + firstLine(run.stderr() + "\n" + run.stdout()));
  }

  private record Run(int status, String stdout, String stderr, String failure) {}

  private Run run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    String shown = "fi_info " + String.join(" ", args);
    return switch (BoundedCommand.run(command, environment, timeout)) {
      case BoundedCommand.Outcome.Exited(int status, String out, String err) ->
          new Run(status, out, err, null);
      case BoundedCommand.Outcome.TimedOut(Duration t) -> new Run(-1, "", "", shown
          + ": no answer within " + BoundedCommand.format(t) + " (killed; a hung provider?)");
      case BoundedCommand.Outcome.NotStarted(String reason) ->
          new Run(-1, "", "", "cannot run " + executable + ": " + reason);
    };
  }

  private static String firstLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
        .orElse("no message");
  }
}
