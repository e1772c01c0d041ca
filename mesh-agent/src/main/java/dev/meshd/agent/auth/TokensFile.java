package dev.meshd.agent.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code security.tokens-file}:
 *
 * <pre>
 * tokens:
 *   - {name: ops-team, role: operator, token: "…"}          # the secret itself
 *   - {name: ci, role: viewer, sha256: "9f86d0…"}            # or only its SHA-256, in hex
 * </pre>
 *
 * Every problem is reported with the file and line, all at once.
 */
public final class TokensFile {

  /** Shorter secrets can be guessed; {@code openssl rand -base64 32} gives 44 characters. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Set<String> KEYS = Set.of("name", "role", "token", "sha256");

  private TokensFile() {}

  /**
   * The entries of {@code file}.
   *
   * @throws IllegalArgumentException with one {@code file:line: key: message} line per problem
   */
  public static List<TokenRegistry.Entry> read(Path file) {
    List<String> errors = new ArrayList<>();
    List<TokenRegistry.Entry> entries = new ArrayList<>();
    try (JsonParser parser = new YAMLFactory().createParser(Files.newBufferedReader(file))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw problem(file, parser, "tokens", "expected a mapping with a 'tokens' list");
      }
      boolean sawTokens = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int line = line(parser);
        parser.nextToken();
        if (!key.equals("tokens")) {
          errors.add(file + ":" + line + ": " + key + ": unknown key (expected: tokens)");
          parser.skipChildren();
          continue;
        }
        sawTokens = true;
        if (parser.currentToken() != JsonToken.START_ARRAY) {
          errors.add(file + ":" + line + ": tokens: expected a list of {name, role, token}");
          parser.skipChildren();
          continue;
        }
        readEntries(file, parser, entries, errors);
      }
      if (!sawTokens) {
        errors.add(file + ":1: tokens: missing (expected: a list of {name, role, token})");
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": tokens file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + firstLine(e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", errors));
    }
    return entries;
  }

  private static void readEntries(Path file, JsonParser parser, List<TokenRegistry.Entry> out,
      List<String> errors) throws IOException {
    Set<String> names = new HashSet<>();
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String where = "tokens[" + index + "]";
      int entryLine = line(parser);
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        errors.add(file + ":" + entryLine + ": " + where + ": expected {name, role, token}");
        parser.skipChildren();
        index++;
        continue;
      }
      String name = null;
      String role = null;
      String token = null;
      String sha256 = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int line = line(parser);
        JsonToken value = parser.nextToken();
        if (!KEYS.contains(key)) {
          errors.add(file + ":" + line + ": " + where + "." + key
              + ": unknown key (expected: name, role, token or sha256)");
          parser.skipChildren();
          continue;
        }
        if (!value.isScalarValue()) {
          errors.add(file + ":" + line + ": " + where + "." + key + ": expected a string");
          parser.skipChildren();
          continue;
        }
        switch (key) {
          case "name" -> name = parser.getValueAsString();
          case "role" -> role = parser.getValueAsString();
          case "token" -> token = parser.getValueAsString();
          default -> sha256 = parser.getValueAsString();
        }
      }
      String prefix = file + ":" + entryLine + ": " + where;
      int before = errors.size();
      if (name == null || name.isBlank()) {
        errors.add(prefix + ".name: missing");
      } else if (!names.add(name)) {
        errors.add(prefix + ".name: \"" + name + "\" appears twice (expected: unique names)");
      }
      Role parsedRole = parseRole(role, prefix, errors);
      if ((token == null) == (sha256 == null)) {
        errors.add(prefix + ": expected exactly one of token and sha256");
      } else if (token != null && token.strip().length() < MIN_TOKEN_LENGTH) {
        errors.add(prefix + ".token: too short (expected: at least " + MIN_TOKEN_LENGTH
            + " characters, e.g. from 'openssl rand -base64 32')");
      } else if (sha256 != null && !HEX_SHA256.matcher(sha256).matches()) {
        errors.add(prefix + ".sha256: expected 64 hex digits (sha256sum of the token)");
      }
      if (errors.size() == before) {
        byte[] digest = token != null ? TokenRegistry.sha256(token.strip())
            : TokenRegistry.parseHex(sha256);
        out.add(new TokenRegistry.Entry(name, parsedRole, digest));
      }
      index++;
    }
  }

  private static Role parseRole(String role, String prefix, List<String> errors) {
    if (role == null) {
      errors.add(prefix + ".role: missing (expected: viewer, operator or admin)");
      return null;
    }
    try {
      Role parsed = Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
      if (parsed != Role.AGENT) {
        return parsed;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    errors.add(prefix + ".role: \"" + role + "\" (expected: viewer, operator or admin)");
    return null;
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  private static IllegalArgumentException problem(Path file, JsonParser parser, String key,
      String message) {
    return new IllegalArgumentException(file + ":" + line(parser) + ": " + key + ": " + message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
