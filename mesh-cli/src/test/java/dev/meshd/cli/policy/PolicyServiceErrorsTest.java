package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import io.grpc.Status;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refusals of DESIGN's error list, through every PolicyService verb: exit 1 and one line on
 * stderr, the status in words and the server's description.
 */
class PolicyServiceErrorsTest {

  private static final String POLICY = TestDocuments.example("policy-llama.yaml").toString();
  private static final String PLACEMENT =
      TestDocuments.example("placement-llama-pipeline.yaml").toString();

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(Status.UNAUTHENTICATED.withDescription("missing bearer token"),
            "unauthenticated: missing bearer token (pass a token with --token or MESHD_TOKEN)"),
        Arguments.of(Status.PERMISSION_DENIED.withDescription("role viewer may not write"),
            "permission denied: role viewer may not write"),
        Arguments.of(Status.UNAVAILABLE.withDescription("no quorum (2 of 3 voters unreachable)"),
            "unavailable: no quorum (2 of 3 voters unreachable)"),
        Arguments.of(Status.FAILED_PRECONDITION.withDescription(
                "revision conflict: policy \"x\" is at revision 7"),
            "failed precondition: revision conflict: policy \"x\" is at revision 7"));
  }

  static Stream<String[]> verbs() {
    return Stream.of(
        new String[] {"policy", "put", "-f", POLICY},
        new String[] {"policy", "get", "x"},
        new String[] {"policy", "list"},
        new String[] {"policy", "delete", "x"},
        new String[] {"policy", "watch"},
        new String[] {"policy", "watch", "--from-revision", "1"},
        new String[] {"placement", "put", "-f", PLACEMENT},
        new String[] {"placement", "get", "x"},
        new String[] {"placement", "list"},
        new String[] {"placement", "delete", "x"},
        new String[] {"raft", "status"},
        new String[] {"raft", "add-peer", "node4@127.0.0.1:7071"},
        new String[] {"raft", "remove-peer", "node4"});
  }

  static Stream<Arguments> refusalsByVerb() {
    return refusals().flatMap(refusal -> verbs().map(
        verb -> Arguments.of(refusal.get()[0], refusal.get()[1], verb)));
  }

  @ParameterizedTest
  @MethodSource("refusalsByVerb")
  void refusalIsExitOneAndOneLine(Status status, String line, String[] verb) {
    agent.policies().failWith(status);

    Result result = cli.run(verb);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).as("no partial output").doesNotContain("revision ");
    assertThat(result.err()).isEqualTo(line + "\n");
  }
}
