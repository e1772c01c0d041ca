package dev.meshd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshd.core.config.AgentConfig;
import dev.meshd.core.config.SecurityConfig;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A control agent started over a seeded data dir writes the saved store through Raft once. */
class StoreSeedIT {

  @TempDir Path dir;

  @Test
  void seedIsRestoredIntoTheEmptyStoreAndMarkedApplied() throws Exception {
    AgentConfig config = TestConfigs.controlGroup(1, dir,
        new SecurityConfig(Optional.empty(), Optional.empty(), Optional.empty())).get(0);
    Path dataDir = config.raft().dataDir();
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("restore-seed.json"), """
        {"format":1,"revision":41,"policies":[{"name":"saved","modelSelector":"m*",
         "strategy":"least_queue","revision":40}],"placements":[]}
        """);

    try (MeshAgent agent = new MeshAgent(config, new TestConfigs.FakeGpus(1),
        Clock.systemUTC())) {
      agent.start();
      PolicyStore store = agent.policyStore().orElseThrow();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> store.getPolicy("saved").join().revision() == 40);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(dataDir.resolve("restore-seed.json.applied")));
      assertThat(dataDir.resolve("restore-seed.json")).doesNotExist();

      // Revisions continue from the saved store's, so no client sees them step back.
      Policy next = store.putPolicy(new Policy("new", "m*", "least_queue", null, null, null, 0),
          OptionalLong.empty()).join();
      assertThat(next.revision()).isEqualTo(42);
    }
  }
}
