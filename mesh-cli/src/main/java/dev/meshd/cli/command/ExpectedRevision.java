package dev.meshd.cli.command;

import java.util.OptionalLong;
import java.util.function.LongConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --expected-revision N}, the compare-and-set condition of a write (DESIGN, "Optional
 * fields"): absent sends no condition at all, which is not the same as 0 ("must not exist yet").
 * A picocli mixin, so every writing verb spells and checks it the same way. Written by the
 * parser, then only read.
 */
public final class ExpectedRevision {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  // A boxed Long: null is how picocli tells us the option was not given.
  @Option(
      names = "--expected-revision",
      paramLabel = "N",
      description = "Write only if the current revision is N (0: only if it does not exist yet).")
  private Long value;

  /** Fails with a usage error (exit 2) when the value is negative. */
  public void validate() {
    if (value != null && value < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--expected-revision: " + value + " (expected: 0 or a revision the store gave)");
    }
  }

  /** The revision, absent when the option was not given. */
  public OptionalLong value() {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /** Hands the revision to a request builder's setter, only when it was given. */
  public void ifPresent(LongConsumer setter) {
    value().ifPresent(setter);
  }
}
