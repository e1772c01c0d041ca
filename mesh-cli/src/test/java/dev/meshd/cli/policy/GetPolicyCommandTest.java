package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.util.JsonFormat;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.GetPolicyRequest;
import dev.meshd.proto.v1.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetPolicyCommandTest {

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
  void tableDescribesEveryField() {
    Result result = cli.run("policy", "get", "llama-hybrid");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(
        """
        Name:                      llama-hybrid
        Model selector:            meta-llama/Llama-3.1-8B-Instruct
        Strategy:                  hybrid
        Weights:                   kv_headroom=0.4
                                   queue_depth=0.6
        Max queue per target:      32
        Max in-flight per tenant:  64
        Hedging:                   after 250ms
        Revision:                  12
        """);
    assertThat(agent.policies().requests(GetPolicyRequest.class)).singleElement()
        .satisfies(request -> {
          assertThat(request.getName()).isEqualTo("llama-hybrid");
          assertThat(request.getSerializable()).isFalse();
        });
  }

  @Test
  void unsetFieldsShowAsDashOrOff() {
    Result result = cli.run("policy", "get", "default");

    assertThat(result.out()).contains("Weights:                   -\n")
        .contains("Max queue per target:      -\n").contains("Hedging:                   off\n");
  }

  @Test
  void serializableIsSent() {
    cli.run("policy", "get", "llama-hybrid", "--serializable");

    assertThat(agent.policies().requests(GetPolicyRequest.class)).singleElement()
        .satisfies(request -> assertThat(request.getSerializable()).isTrue());
  }

  @Test
  void jsonRoundTripsToTheSamePolicyAndYamlIsTheSameDocument() throws Exception {
    Result json = cli.run("policy", "get", "llama-hybrid", "-o", "json");
    Result yaml = cli.run("policy", "get", "llama-hybrid", "-o", "yaml");

    Policy.Builder parsed = Policy.newBuilder();
    JsonFormat.parser().merge(json.out(), parsed);
    assertThat(parsed.build()).isEqualTo(TestDocuments.llamaPolicy());
    JsonNode tree = new ObjectMapper().readTree(json.out());
    assertThat(tree.get("admission").get("maxQueueDepthPerTarget").asInt()).isEqualTo(32);
    assertThat(new YAMLMapper().readTree(yaml.out())).isEqualTo(tree);
  }

  @Test
  void notFoundExitsOne() {
    Result result = cli.run("policy", "get", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("not found: policy \"nope\"\n");
  }

  @Test
  void blankOrMissingNameIsAUsageError() {
    assertThat(cli.run("policy", "get", " ").exitCode()).isEqualTo(2);
    assertThat(cli.run("policy", "get").exitCode()).isEqualTo(2);
    assertThat(agent.headers().headers()).isEmpty();
  }
}
