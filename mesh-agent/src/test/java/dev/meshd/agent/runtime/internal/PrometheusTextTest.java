package dev.meshd.agent.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextTest {

  @Test
  void readsNamesLabelsValuesAndSkipsCommentsAndUnwantedMetrics() throws Exception {
    String body = """
        # HELP a:b help text
        # TYPE a:b gauge
        a:b{x="1",y="two words"} 3.5

        a:b 7 1700000000000
        other_metric{z="q"} 9
        c_total{ le = "+Inf" , k="v"} 1.2e+03\r
        """;
    List<MetricSample> samples = PrometheusText.parse(body, n -> !n.equals("other_metric"));

    assertThat(samples).containsExactly(
        new MetricSample("a:b", Map.of("x", "1", "y", "two words"), 3.5),
        new MetricSample("a:b", Map.of(), 7),
        new MetricSample("c_total", Map.of("le", "+Inf", "k", "v"), 1200));
  }

  @Test
  void unescapesLabelValuesAndReadsSpecialValues() throws Exception {
    List<MetricSample> samples = PrometheusText.parse("""
        m{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb"} NaN
        m{} +Inf
        m -Inf
        """, n -> true);

    assertThat(samples.get(0).labels())
        .containsEntry("path", "C:\\dir").containsEntry("q", "say \"hi\"")
        .containsEntry("nl", "a\nb");
    assertThat(samples.get(0).value()).isNaN();
    assertThat(samples.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(samples.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "m{a=\"1\"} twelve | line 2: value \"twelve\" is not a number",
      "m{a=\"1} 3 | line 2: unterminated label value",
      "m{a=1} 3 | line 2: expected '\"', found \"1} 3\"",
      "m | line 2: expected a space and a value after m",
      "<html><body>502 Bad Gateway</body></html> | line 2: expected a metric name",
      "m 1 2 3 | line 2: unexpected text after the timestamp",
      "m 1 yesterday | line 2: timestamp \"yesterday\"",
      "m{a=\"1\" b=\"2\"} 1 | line 2: expected ',' or '}' after label a",
      "m{a=\"\\q\"} 1 | line 2: unknown escape \\q",
  })
  void garbageFailsWithTheLineNumber(String badLine, String message) {
    assertThatThrownBy(() -> PrometheusText.parse("ok 1\n" + badLine + "\n", n -> true))
        .isInstanceOf(MetricsFormatException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void anUnwantedButMalformedLineStillFailsTheBody() {
    assertThatThrownBy(() -> PrometheusText.parse("wanted 1\nunwanted{ 2\n",
        n -> n.equals("wanted")))
        .isInstanceOf(MetricsFormatException.class).hasMessageStartingWith("line 2:");
  }
}
