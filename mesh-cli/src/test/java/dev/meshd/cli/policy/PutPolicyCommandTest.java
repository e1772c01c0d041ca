package dev.meshd.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.meshd.cli.testing.CliRunner;
import dev.meshd.cli.testing.CliRunner.Result;
import dev.meshd.cli.testing.FakeAgent;
import dev.meshd.cli.testing.TestDocuments;
import dev.meshd.proto.v1.Policy;
import dev.meshd.proto.v1.PutPolicyRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PutPolicyCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXAMPLE = TestDocuments.example("policy-llama.yaml").toString();

  @TempDir
  Path dir;

  private FakeAgent agent;
  private CliRunner cli;

  @BeforeEach
  void startAgent() {
    agent = FakeAgent.inProcess();
    agent.policies().revision(41);
    cli = CliRunner.against(agent);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
  }

  @Test
  void storesTheFileAndPrintsTheRevision() {
    Result result = cli.run("policy", "put", "-f", EXAMPLE);

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("policy \"llama-3.1-8b-hybrid\" stored at revision 42\n");
    PutPolicyRequest request = onlyRequest();
    assertThat(request.hasExpectedRevision()).as("no condition unless asked").isFalse();
    assertThat(request.getPolicy().getStrategy()).isEqualTo("hybrid");
    assertThat(request.getPolicy().getHedging().getDelay().getNanos()).isEqualTo(250_000_000);
  }

  @Test
  void expectedRevisionIsSentOnlyWhenGivenAndZeroIsKept() {
    Result result = cli.run("policy", "put", "-f", EXAMPLE, "--expected-revision", "0");

    assertThat(result.exitCode()).isZero();
    PutPolicyRequest request = onlyRequest();
    assertThat(request.hasExpectedRevision()).isTrue();
    assertThat(request.getExpectedRevision()).isZero();
  }

  @Test
  void revisionConflictIsTheServersLine() {
    agent.policies().policy(TestDocuments.llamaPolicy().toBuilder()
        .setName("llama-3.1-8b-hybrid").setRevision(7).build());

    Result result = cli.run("policy", "put", "-f", EXAMPLE, "--expected-revision", "6");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("failed precondition: revision conflict: "
        + "policy \"llama-3.1-8b-hybrid\" is at revision 7\n");
    assertThat(onlyRequest().getExpectedRevision()).isEqualTo(6);
  }

  @Test
  void jsonIsTheStoredPolicyWithEveryField() throws Exception {
    Result result = cli.run("policy", "put", "-f", EXAMPLE, "-o", "json");

    assertThat(result.exitCode()).isZero();
    JsonNode policy = JSON.readTree(result.out());
    assertThat(policy.properties().stream().map(e -> e.getKey()))
        .containsExactlyInAnyOrderElementsOf(Policy.getDescriptor().getFields().stream()
            .map(FieldDescriptor::getJsonName).toList());
    assertThat(policy.get("revision").asText()).isEqualTo("42");
    assertThat(policy.get("revision").isTextual()).as("int64 as string").isTrue();
    assertThat(policy.get("hedging").get("delay").asText()).isEqualTo("0.250s");
  }

  @Test
  void yamlIsTheJsonDocument() throws Exception {
    JsonNode json = JSON.readTree(cli.run("policy", "put", "-f", EXAMPLE, "-o", "json").out());

    Result result = cli.run("policy", "put", "-f", EXAMPLE, "-o", "yaml");

    assertThat(new YAMLMapper().readTree(result.out()))
        .isEqualTo(((ObjectNode) json).put("revision", "43"));
  }

  @Test
  void readsStdin() {
    Result result = cli.withStdin("{\"name\": \"piped\", \"strategy\": \"least_queue\"}")
        .run("policy", "put", "-f", "-");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("policy \"piped\" stored at revision 42\n");
    assertThat(onlyRequest().getPolicy().getStrategy()).isEqualTo("least_queue");
  }

  @Test
  void badFileExitsTwoWithOneLineAndSendsNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "name: p\nstrateg: hybrid\n");

    Result result = cli.run("policy", "put", "-f", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo(file + ": line 2: strateg: "
        + "Cannot find field: strateg in message meshd.v1.Policy\n");
    assertThat(agent.headers().headers()).as("nothing sent").isEmpty();
  }

  @Test
  void missingFileExitsTwo() {
    Result result = cli.run("policy", "put", "-f", dir.resolve("nope.yaml").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(dir.resolve("nope.yaml") + ": no such file\n");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(cli.run("policy", "put").exitCode()).isEqualTo(2);
    Result negative = cli.run("policy", "put", "-f", EXAMPLE, "--expected-revision", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--expected-revision: -1 (expected: 0 or a revision");
    assertThat(cli.run("policy", "put", "-f", EXAMPLE, "--expected-revision", "x").exitCode())
        .isEqualTo(2);
    assertThat(agent.headers().headers()).as("nothing sent").isEmpty();
  }

  @Test
  void invalidArgumentIsTheServersLine() {
    agent.policies().failWith(Status.INVALID_ARGUMENT.withDescription(
        "strategy: \"fastest\" (expected: one of round_robin, least_queue, power_of_two, "
            + "heuristic, fabric_aware, hybrid)"));

    Result result = cli.run("policy", "put", "-f", EXAMPLE);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("invalid argument: strategy: \"fastest\" (expected: one of "
        + "round_robin, least_queue, power_of_two, heuristic, fabric_aware, hybrid)\n");
  }

  private PutPolicyRequest onlyRequest() {
    assertThat(agent.policies().requests(PutPolicyRequest.class)).hasSize(1);
    return agent.policies().requests(PutPolicyRequest.class).getFirst();
  }
}
