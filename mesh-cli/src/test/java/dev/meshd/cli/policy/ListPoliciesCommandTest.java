package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.ListPoliciesRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListPoliciesCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().policy(TestDocuments.llamaPolicy()).policy(TestDocuments.defaultPolicy());
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void tableHasTheColumnsSortedByName() {
    Result result = cli.run("policy", "list");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo(
        """
        NAME           MODEL                              STRATEGY      MAX-QUEUE   MAX-INFLIGHT   HEDGE   REVISION
        default        *                                  least_queue   -           -              off     7
        llama-hybrid   meta-llama/Llama-3.1-8B-Instruct   hybrid        32          64             250ms   12
        """);
    assertThat(agent.policies().requests(ListPoliciesRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isFalse());
  }

  @Test
  void emptyStoreIsAHeaderOnly() {
    agent.close();
    agent = FakeAgent.inProcess();

    Result result = CliRunner.against(agent).run("policy", "list");

    assertThat(result.out()).isEqualTo(
        "NAME   MODEL   STRATEGY   MAX-QUEUE   MAX-INFLIGHT   HEDGE   REVISION\n");
  }

  @Test
  void serializableIsSent() {
    cli.run("policy", "list", "--serializable");

    assertThat(agent.policies().requests(ListPoliciesRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isTrue());
  }

  @Test
  void jsonIsOneArrayOfPoliciesAndYamlTheSame() throws Exception {
    Result json = cli.run("policy", "list", "-o", "json");
    Result yaml = cli.run("policy", "list", "-o", "yaml");

    assertThat(json.exitCode()).isZero();
    JsonNode policies = JSON.readTree(json.out());
    assertThat(policies.isArray()).isTrue();
    assertThat(policies).extracting(p -> p.get("name").asText())
        .containsExactly("default", "llama-hybrid");
    assertThat(policies.get(0).get("weights").isObject()).as("empty map printed").isTrue();
    assertThat(policies.get(0).get("revision").asText()).isEqualTo("7");
    assertThat(new YAMLMapper().readTree(yaml.out())).isEqualTo(policies);
  }
}
