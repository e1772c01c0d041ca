package dev.meshd.core.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Substitutes environment variables in config scalars, before they are interpreted.
 *
 * <ul>
 *   <li>{@code ${NAME}}: the variable's value; an error if it is not set.
 *   <li>{@code ${NAME:-default}}: the value, or {@code default} when the variable is unset or
 *       empty (the shell's rule, so that {@code NAME=} also falls back).
 *   <li>{@code $$}: a literal {@code $}.
 *   <li>Any other {@code $} is kept as is, so that values such as passwords rarely need escaping.
 * </ul>
 *
 * <p>Defaults are taken literally (no nested substitution): one level is enough for configs and
 * keeps the rule easy to predict. Immutable and thread-safe; the environment is injected so that
 * tests do not depend on the process environment.
 */
final class EnvInterpolator {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> env;

  EnvInterpolator(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The text with every reference replaced.
   *
   * @throws IllegalArgumentException naming the reference that cannot be resolved
   */
  String apply(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 == text.length()) {
        out.append(c);
        i++;
      } else if (text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException(YamlNode.quote(text)
              + ": unterminated ${ (expected: ${NAME} or ${NAME:-default}; $$ for a literal $)");
        }
        out.append(resolve(text.substring(i + 2, close)));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(String reference) {
    int sep = reference.indexOf(":-");
    String name = sep < 0 ? reference : reference.substring(0, sep);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("${" + reference + "}: bad variable name "
          + YamlNode.quote(name) + " (expected: ${NAME} or ${NAME:-default}, NAME of letters, "
          + "digits and _)");
    }
    String value = env.get(name);
    if (sep >= 0) {
      return value == null || value.isEmpty() ? reference.substring(sep + 2) : value;
    }
    if (value == null) {
      throw new IllegalArgumentException("${" + name + "}: environment variable " + name
          + " is not set (expected: set it, or give a default: ${" + name + ":-value})");
    }
    return value;
  }
}
