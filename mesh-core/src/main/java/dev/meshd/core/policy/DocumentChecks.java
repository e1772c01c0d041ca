package dev.meshd.core.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks both validators share. Stateless. */
final class DocumentChecks {

  /** Names are store keys, CLI arguments and metric label values: keep them plain and short. */
  static final int MAX_NAME_LENGTH = 253;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*)");

  private DocumentChecks() {}

  static void checkName(String field, String name, List<FieldError> errors) {
    if (name.isEmpty()) {
      errors.add(new FieldError(field, "empty (expected: a name such as llama-8b)"));
    } else if (name.length() > MAX_NAME_LENGTH) {
      errors.add(new FieldError(field,
          name.length() + " characters (expected: at most " + MAX_NAME_LENGTH + ")"));
    } else if (!NAME.matcher(name).matches()) {
      errors.add(new FieldError(field, "\"" + name
          + "\" (expected: letters, digits, '.', '_' or '-', starting with a letter or digit)"));
    }
  }

  static void checkNonEmpty(String field, String value, String example, List<FieldError> errors) {
    if (value.isBlank()) {
      errors.add(new FieldError(field, "empty (expected: " + example + ")"));
    }
  }

  static void checkGpus(String field, List<Integer> gpus, List<FieldError> errors) {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < gpus.size(); i++) {
      Integer gpu = gpus.get(i);
      if (gpu == null || gpu < 0) {
        errors.add(new FieldError(field + "[" + i + "]", gpu + " (expected: a GPU index >= 0)"));
      } else if (!seen.add(gpu)) {
        errors.add(new FieldError(field + "[" + i + "]",
            gpu + " (expected: each GPU index once)"));
      }
    }
  }

  static void checkAtMost(String field, int size, int max, List<FieldError> errors) {
    if (size > max) {
      errors.add(new FieldError(field, size + " entries (expected: at most " + max + ")"));
    }
  }
}
