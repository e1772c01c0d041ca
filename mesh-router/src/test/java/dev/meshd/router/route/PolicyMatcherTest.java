package dev.meshd.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshd.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {

  private static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

  @Test
  void exactNameBeatsAnyGlob() {
    List<Policy> policies = List.of(
        Policy.of("all", "*", "round_robin"),
        Policy.of("long-glob", "meta-llama/Llama-3.1-8B-Instruc?", "least_queue"),
        Policy.of("exact", LLAMA, "heuristic"));

    assertThat(PolicyMatcher.match(LLAMA, policies)).map(Policy::name).hasValue("exact");
  }

  @Test
  void longerGlobBeatsShorterOne() {
    List<Policy> policies = List.of(
        Policy.of("all", "*", "round_robin"),
        Policy.of("llama", "meta-llama/*", "least_queue"),
        Policy.of("llama31", "meta-llama/Llama-3.1-*", "heuristic"));

    assertThat(PolicyMatcher.match(LLAMA, policies)).map(Policy::name).hasValue("llama31");
    assertThat(PolicyMatcher.match("meta-llama/Llama-2-7b", policies)).map(Policy::name)
        .hasValue("llama");
    assertThat(PolicyMatcher.match("Qwen/Qwen2.5-7B", policies)).map(Policy::name)
        .hasValue("all");
  }

  @Test
  void equallyLongGlobsAreDecidedByPolicyNameSoEveryRouterAgrees() {
    List<Policy> policies = List.of(
        Policy.of("zeta", "meta-*-8B-Instruct", "round_robin"),
        Policy.of("alpha", "*a-3.1-8B-Instruct", "least_queue"));

    assertThat(PolicyMatcher.match(LLAMA, policies)).map(Policy::name).hasValue("alpha");
  }

  @Test
  void noMatchingPolicyGivesEmpty() {
    assertThat(PolicyMatcher.match(LLAMA, List.of(Policy.of("q", "Qwen/*", "hybrid"))))
        .isEmpty();
    assertThat(PolicyMatcher.match(LLAMA, List.of())).isEmpty();
  }

  @Test
  void globSemantics() {
    assertThat(PolicyMatcher.matches("*", "")).isTrue();
    assertThat(PolicyMatcher.matches("a*b*c", "axxbyyc")).isTrue();
    assertThat(PolicyMatcher.matches("a*b*c", "axxbyy")).isFalse();
    assertThat(PolicyMatcher.matches("a?c", "abc")).isTrue();
    assertThat(PolicyMatcher.matches("a?c", "ac")).isFalse();
    assertThat(PolicyMatcher.matches("abc", "abcd")).isFalse();
    assertThat(PolicyMatcher.matches("**", "x/y")).isTrue();
    assertThat(PolicyMatcher.matches("llama", "llama")).isTrue();
  }
}
