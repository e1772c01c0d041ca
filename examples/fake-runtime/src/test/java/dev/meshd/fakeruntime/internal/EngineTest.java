package dev.meshd.fakeruntime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {

  private final Engine engine = new Engine(List.of("m"), 1, 2, 1000);

  @Test
  void requestsBeyondTheSlotsWaitAndTakeFreedSlotsInArrivalOrder() throws Exception {
    Engine.Ticket first = engine.admit("m", 1);
    Engine.Ticket second = engine.admit("m", 1);
    Engine.Ticket third = engine.admit("m", 1);
    assertThat(first.state()).isEqualTo(Engine.State.RUNNING);
    assertThat(second.state()).isEqualTo(Engine.State.WAITING);
    assertThat(engine.snapshot().byModel().get("m")).isEqualTo(new Engine.ModelLoad(2, 1));

    first.close();

    assertThat(second.state()).isEqualTo(Engine.State.RUNNING);
    assertThat(third.state()).isEqualTo(Engine.State.WAITING);
    second.awaitSlot(); // returns at once: the slot was handed over in close()
    assertThat(engine.snapshot().byModel().get("m")).isEqualTo(new Engine.ModelLoad(1, 1));
  }

  @Test
  void aFullQueueRefusesAndAnAbandonedWaiterLeavesIt() throws Exception {
    engine.admit("m", 1);
    Engine.Ticket waiting = engine.admit("m", 1);
    engine.admit("m", 1);

    assertThatThrownBy(() -> engine.admit("m", 1))
        .isInstanceOf(Engine.QueueFullException.class)
        .hasMessageContaining("2 requests waiting");

    waiting.close();
    assertThat(engine.snapshot().byModel().get("m").waiting()).isEqualTo(1);
    engine.admit("m", 1);
  }

  @Test
  void closingTwiceFreesOneSlot() throws Exception {
    Engine.Ticket first = engine.admit("m", 1);
    Engine.Ticket second = engine.admit("m", 1);
    first.close();
    first.close();

    assertThat(second.state()).isEqualTo(Engine.State.RUNNING);
    assertThat(engine.snapshot().byModel().get("m")).isEqualTo(new Engine.ModelLoad(0, 1));
  }
}
