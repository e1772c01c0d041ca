package dev.meshd.agent.command;

import dev.meshd.core.security.ClusterKey;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mesh-agent keygen}: prints a new cluster key (one base64 line). */
@Command(name = "keygen",
    description = "Print a new cluster key: save it to the file named by "
        + "security.cluster-key-file on every agent of the fleet (mode 0600).")
public final class KeygenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(ClusterKey.generate(new SecureRandom()).encoded());
    return ExitCodes.OK;
  }
}
