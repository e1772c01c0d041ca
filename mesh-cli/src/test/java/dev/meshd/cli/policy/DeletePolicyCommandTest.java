package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.DeletePolicyRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeletePolicyCommandTest {

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().policy(TestDocuments.llamaPolicy());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void deletesAndPrintsTheRevisionOfTheDelete() {
    Result result = cli.run("policy", "delete", "llama-hybrid");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("policy \"llama-hybrid\" deleted at revision 13\n");
    assertThat(agent.policies().requests(DeletePolicyRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.getName()).isEqualTo("llama-hybrid");
          assertThat(request.hasExpectedRevision()).isFalse();
        });
  }

  @Test
  void expectedRevisionIsSentAndAConflictIsExitOne() {
    Result result = cli.run("policy", "delete", "llama-hybrid", "--expected-revision", "11");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        "failed precondition: revision conflict: policy \"llama-hybrid\" is at revision 12\n");
    assertThat(agent.policies().requests(DeletePolicyRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.hasExpectedRevision()).isTrue();
          assertThat(request.getExpectedRevision()).isEqualTo(11);
        });
    assertThat(cli.run("policy", "delete", "llama-hybrid", "--expected-revision", "12")
        .exitCode()).isZero();
  }

  @Test
  void jsonAndYamlAreTheDeleteResponse() throws Exception {
    Result json = cli.run("policy", "delete", "llama-hybrid", "-o", "json");
    agent.policies().policy(TestDocuments.llamaPolicy());
    Result yaml = cli.run("policy", "delete", "llama-hybrid", "-o", "yaml");

    assertThat(new ObjectMapper().readTree(json.out()).get("revision").asText()).isEqualTo("13");
    assertThat(new YAMLMapper().readTree(yaml.out()).get("revision").asText()).isEqualTo("14");
  }

  @Test
  void notFoundExitsOne() {
    Result result = cli.run("policy", "delete", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("not found: policy \"nope\"\n");
  }
}
