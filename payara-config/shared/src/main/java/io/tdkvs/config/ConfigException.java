package io.tdkvs.config;

import java.nio.file.Path;

/** A configuration file that cannot be used; the message names the file, the field and what is wrong. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(Path file, String field, String reason) {
        super(file + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
    }
}
