package dev.meshd.agent.links;

import java.util.Objects;

/** What {@link LinkPlanner} asks for one link. */
public sealed interface LinkAction {

  LinkRef link();

  /** Negotiate (or renegotiate) the link now; {@code why} is for the log. */
  record Negotiate(LinkRef link, String why) implements LinkAction {
    public Negotiate {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(why, "why");
    }
  }

  /** Write the link DOWN: an end of it is dead or gone ({@code reason} names which). */
  record MarkDown(LinkRef link, String reason) implements LinkAction {
    public MarkDown {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
