package dev.meshd.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s", "PT45S, 45s", "PT119S, 119s", "PT3M12S, 3m12s", "PT5M, 5m", "PT42M, 42m",
    "PT59M59S, 59m", "PT90M, 1h30m", "PT2H5M9S, 2h5m", "PT7H, 7h", "PT30H, 30h",
    "PT76H, 3d4h", "PT48H, 2d", "PT720H, 30d",
    "PT-1.5S, 0s", "PT-3S, <invalid>"
  })
  void ageRoundsLikeKubectl(Duration age, String expected) {
    assertThat(DurationText.age(age)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "10s, PT10S", "500ms, PT0.5S", "1m30s, PT1M30S", "2h, PT2H", "PT15S, PT15S", "' 3s ', PT3S"
  })
  void parsesWhatPeopleType(String text, Duration expected) {
    assertThat(DurationText.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PT10S, 10s", "PT0.25S, 250ms", "PT1M30S, 1m30s", "PT1H, 1h", "PT0S, 0s"})
  void formatsCompactly(Duration duration, String expected) {
    assertThat(DurationText.format(duration)).isEqualTo(expected);
    assertThat(DurationText.parse(expected)).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "ten seconds", "5d", "1s2", "PTX"})
  void rejectsOtherText(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DurationText.parse(text))
        .withMessageContaining("expected: a duration such as 500ms, 10s, 1m30s or 2h");
  }
}
