package io.tdkvs.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How long the master waits for a volume, from the master's config:
 * <pre>
 * deadlines:
 *   connect: 1s   # to connect to a volume
 *   read: 2s      # a GET answers within this (and a second per 64 MiB of the value, which a volume checks
 *                 # whole before it answers): a volume slow to begin its answer gives way to the next copy
 *   write: 5s     # a PUT answers within this: a volume slow to store its copy gives way to the next volume
 * </pre>
 * A copy's volume gets three quarters of the read or write deadline ({@link #perCopy}); the rest is
 * left for the next copy. Migrations, repairs and verify, which move many keys per request, wait
 * {@link #BACKGROUND} for an answer.
 */
public record Deadlines(Duration connect, Duration read, Duration write) {

    public static final Duration BACKGROUND = Duration.ofSeconds(30);
    static final Set<String> FIELDS = Set.of("connect", "read", "write");

    public static Deadlines defaults() {
        return new Deadlines(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** The part of a deadline one volume gets before the next copy's volume is tried. */
    public static Duration perCopy(Duration deadline) {
        return deadline.multipliedBy(3).dividedBy(4);
    }

    /**
     * A volume reads a value whole and checks it against its CRC32C before it sends the first byte, so that a
     * damaged copy gives way to the next before the client sees any: the read deadline grows by a second for
     * each this many bytes of the value. A disk slower than this, busy with other writes, still answers.
     */
    public static final long CHECKED_BYTES_PER_SECOND = 64L << 20;

    /** How long a read waits for a copy's volume to begin answering: its part, or all of it for the last copy. */
    public Duration readOf(boolean lastCopy) {
        return lastCopy ? read : perCopy(read);
    }

    /**
     * How long a read of a value of {@code size} bytes waits for a copy's volume to begin answering: {@link
     * #readOf(boolean)}, and the time the volume may take to check the value at {@link #CHECKED_BYTES_PER_SECOND}.
     */
    public Duration readOf(boolean lastCopy, long size) {
        return readOf(lastCopy).plusMillis(size * 1000 / CHECKED_BYTES_PER_SECOND);
    }

    static Deadlines read(Optional<YamlFile> section) {
        Deadlines defaults = defaults();
        if (section.isEmpty()) {
            return defaults;
        }
        YamlFile yaml = section.get();
        Deadlines deadlines = new Deadlines(yaml.duration("connect").orElse(defaults.connect()),
                yaml.duration("read").orElse(defaults.read()), yaml.duration("write").orElse(defaults.write()));
        if (deadlines.connect().compareTo(deadlines.read()) > 0 || deadlines.connect().compareTo(deadlines.write()) > 0) {
            throw yaml.invalid("connect", deadlines.connect().toMillis() + " ms is longer than the read or write deadline; "
                    + "connecting is part of both");
        }
        return deadlines;
    }
}
