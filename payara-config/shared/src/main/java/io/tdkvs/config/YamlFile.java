package io.tdkvs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** One YAML mapping read from a file, with typed accessors that report errors by field. */
final class YamlFile {

    private final Path file;
    private final Map<?, ?> fields;
    /** Where this mapping is in the file: "" for the document, "group." or "group.members[1]." for nested ones. */
    private final String prefix;

    private YamlFile(Path file, Map<?, ?> fields, String prefix) {
        this.file = file;
        this.fields = fields;
        this.prefix = prefix;
    }

    static YamlFile read(Path file, Set<String> knownFields) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot be read (" + e.getMessage() + ")");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new ConfigException(file, "", "is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(file, "", "must be a YAML mapping with the fields " + knownFields);
        }
        return new YamlFile(file, map, "").checkFields(knownFields);
    }

    private YamlFile checkFields(Set<String> knownFields) {
        for (Object name : fields.keySet()) {
            if (!knownFields.contains(String.valueOf(name))) {
                throw invalid(String.valueOf(name), "unknown field; the known fields are " + new TreeSet<>(knownFields));
            }
        }
        return this;
    }

    /** A nested mapping, if the field is there; its errors name it ({@code group.self}). */
    Optional<YamlFile> section(String field, Set<String> knownFields) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(field, "must be a mapping with the fields " + new TreeSet<>(knownFields) + ", not " + describe(value));
        }
        return Optional.of(new YamlFile(file, map, prefix + field + ".").checkFields(knownFields));
    }

    /** A list of mappings; the errors of each name it ({@code group.members[1].url}). */
    List<YamlFile> sections(String field, Set<String> knownFields) {
        Object value = fields.get(field);
        if (value == null) {
            throw missing(field);
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(field, "must be a list, not " + describe(value));
        }
        List<YamlFile> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof Map<?, ?> map)) {
                throw invalid(field + "[" + i + "]", "must be a mapping with the fields " + new TreeSet<>(knownFields)
                        + ", not " + describe(item));
            }
            result.add(new YamlFile(file, map, prefix + field + "[" + i + "].").checkFields(knownFields));
        }
        return result;
    }

    /** The directory that relative paths in the file are resolved against. */
    Path directory() {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** Whether the field is there at all. */
    boolean has(String field) {
        return fields.get(field) != null;
    }

    int port(String field) {
        int port = integer(field).orElseThrow(() -> missing(field));
        if (port < 1 || port > 65535) {
            throw invalid(field, port + " is not a TCP port (1-65535)");
        }
        return port;
    }

    Optional<Integer> integer(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Integer number)) {
            throw invalid(field, "must be a whole number, not " + describe(value));
        }
        return Optional.of(number);
    }

    Optional<String> string(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw invalid(field, "must be a non-empty string, not " + describe(value));
        }
        return Optional.of(text.strip());
    }

    /** A secret: at least {@code minLength} printable ASCII characters without spaces. */
    Optional<String> secret(String field, int minLength) {
        Optional<String> secret = string(field);
        if (secret.isPresent() && (secret.get().length() < minLength || !secret.get().matches("[\\x21-\\x7e]+"))) {
            throw invalid(field, "must be at least " + minLength
                    + " printable ASCII characters without spaces (e.g. the output of: openssl rand -hex 24)");
        }
        return secret;
    }

    /** A length of time written as a number and a unit: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}. */
    Optional<java.time.Duration> duration(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)").matcher(String.valueOf(value).strip());
        if (!(value instanceof String) || !matcher.matches()) {
            throw invalid(field, "must be a length of time with its unit, such as 500ms, 2s or 1m, not " + describe(value));
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
        if (millis < 1 || millis > 3_600_000) {
            throw invalid(field, value + " is out of range (1ms-60m)");
        }
        return Optional.of(java.time.Duration.ofMillis(Math.round(millis)));
    }

    /** A number of bytes, written as a whole number or with a unit: {@code 1048576}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}. */
    Optional<Long> bytes(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB)?").matcher(String.valueOf(value).strip());
        if (!(value instanceof String || value instanceof Integer || value instanceof Long) || !matcher.matches()) {
            throw invalid(field, "must be a size in bytes, such as 33554432, 512KiB, 64MiB or 1GiB, not " + describe(value));
        }
        int shift = matcher.group(2) == null ? 0 : switch (matcher.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long amount = Long.parseLong(matcher.group(1));
        if (amount > (Long.MAX_VALUE >> 1) >> shift) {
            throw invalid(field, value + " is too large");
        }
        return Optional.of(amount << shift);
    }

    /** A path, relative ones resolved against the file's directory. */
    Optional<Path> path(String field) {
        return string(field).map(text -> {
            try {
                return directory().resolve(text).normalize();
            } catch (RuntimeException e) {
                throw invalid(field, "\"" + text + "\" is not a valid path");
            }
        });
    }

    List<String> strings(String field) {
        Object value = fields.get(field);
        if (value == null) {
            throw missing(field);
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(field, "must be a list, not " + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String text) || text.isBlank()) {
                throw invalid(field + "[" + i + "]", "must be a non-empty string, not " + describe(item));
            }
            result.add(text.strip());
        }
        return result;
    }

    ConfigException missing(String field) {
        return invalid(field, "is required");
    }

    ConfigException invalid(String field, String reason) {
        return new ConfigException(file, prefix + field, reason);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "\"" + value + "\"";
    }
}
