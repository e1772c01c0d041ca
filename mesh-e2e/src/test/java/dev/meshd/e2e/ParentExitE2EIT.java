package dev.meshd.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh-agent start --exit-with-parent}: a real agent whose parent (a shell, as a
 * supervisor or a test harness would be) is SIGKILLed stops by itself instead of running on.
 */
class ParentExitE2EIT {

  @TempDir Path workDir;

  @Test
  void anAgentWhoseParentIsKilledStopsByItself() throws Exception {
    try (MeshProcesses mesh = new MeshProcesses(workDir)) {
      mesh.prepareExampleConfigs();
      Path pidFile = workDir.resolve("agent.pid");
      Path log = workDir.resolve("node1.log");
      // The shell starts the agent in the background, notes its pid and waits for it.
      ProcessBuilder pb = new ProcessBuilder("bash", "-c",
          "\"$0\" start --config \"$1\" --exit-with-parent > \"$3\" 2>&1 & echo $! > \"$2\"; wait",
          MeshProcesses.ROOT.resolve("bin/mesh-agent").toString(),
          mesh.config("node1").toString(), pidFile.toString(), log.toString());
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process shell = pb.start();
      Optional<ProcessHandle> agent = Optional.empty();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile)
            && !Files.readString(pidFile).isBlank());
        agent = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        assertThat(agent).isPresent();
        int metrics = mesh.port(9464);
        try (HttpClient http = HttpClient.newHttpClient()) {
          await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
              .ignoreExceptions()
              .until(() -> http.send(HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + metrics + "/readyz")).build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }

        shell.destroyForcibly(); // SIGKILL: the shell can pass nothing on

        ProcessHandle handle = agent.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> !handle.isAlive());
        assertThat(Files.readString(log))
            .contains("exited: stopping (--exit-with-parent)")
            .contains("agent node1 stopped");
      } finally {
        agent.ifPresent(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
      }
    }
  }
}
