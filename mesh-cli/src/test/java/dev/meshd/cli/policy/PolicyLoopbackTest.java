package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.cli.connect.BearerTokenInterceptor;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.ChangeType;
import dev.meshd.proto.v1.PutPolicyRequest;
import dev.meshd.proto.v1.StoreChange;
import dev.meshd.testkit.FreePorts;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PolicyService verbs through the CLI's real channel factory and real sockets. */
class PolicyLoopbackTest {

  @Test
  void putThenListThenWatchOverTcpWithTheToken() {
    try (FakeAgent agent = FakeAgent.loopback()) {
      agent.policies().watch(List.of(StoreChange.newBuilder().setRevision(2)
          .setType(ChangeType.CHANGE_TYPE_PUT).setPolicy(TestDocuments.defaultPolicy()).build()),
          Status.OK);
      CliRunner cli = CliRunner.against(agent);
      String example = TestDocuments.example("policy-llama.yaml").toString();

      Result put = cli.run("--server", agent.server(), "--token", "t0ken",
          "policy", "put", "-f", example, "--expected-revision", "0");
      Result list = cli.run("--server", agent.server(), "--token", "t0ken", "policy", "list");
      Result watch = cli.run("--server", agent.server(), "--token", "t0ken", "policy", "watch");

      assertThat(put.exitCode()).isZero();
      assertThat(put.out()).isEqualTo("policy \"llama-3.1-8b-hybrid\" stored at revision 1\n");
      assertThat(agent.policies().requests(PutPolicyRequest.class)).singleElement()
          .satisfies(request -> assertThat(request.hasExpectedRevision()).isTrue());
      assertThat(list.out()).contains("llama-3.1-8b-hybrid").contains("250ms");
      assertThat(watch.exitCode()).isZero();
      assertThat(watch.out()).endsWith("2            PUT      policy      default\n");
      assertThat(agent.headers().headers()).hasSize(4)
          .allSatisfy(headers -> assertThat(headers.get(BearerTokenInterceptor.AUTHORIZATION))
              .isEqualTo("Bearer t0ken"));
    }
  }

  @Test
  void unreachableAgentIsOneLineAndExitOne() {
    int port = FreePorts.loopback();

    Result result = CliRunner.plaintext()
        .run("--server", "127.0.0.1:" + port, "raft", "status");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("cannot reach agent at 127.0.0.1:" + port + ": connection refused\n");
  }
}
