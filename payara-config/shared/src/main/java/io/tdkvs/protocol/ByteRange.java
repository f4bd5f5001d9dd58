package io.tdkvs.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One range of a value's bytes, {@code first} to {@code last} inclusive, as a {@code Range: bytes=...}
 * header asks for it (RFC 9110, section 14): {@code bytes=a-b}, {@code bytes=a-} or the last n bytes,
 * {@code bytes=-n}. Clients send it to the master, and the master to a volume.
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*", Pattern.CASE_INSENSITIVE);

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    /** What a {@code Range} header asks of a value of {@code size} bytes. */
    public sealed interface Request permits Whole, Part, Unsatisfiable {
    }

    /** No range, or one that is not a single byte range: serve the whole value (RFC 9110 lets a server ignore it). */
    public record Whole() implements Request {
    }

    public record Part(ByteRange range) implements Request {
    }

    /** A range that starts beyond the value (or any range of an empty value): 416. */
    public record Unsatisfiable() implements Request {
    }

    public static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher single = SINGLE.matcher(header);
        if (!single.matches() || single.group(1).isEmpty() && single.group(2).isEmpty()) {
            return new Whole();
        }
        Optional<Long> first = number(single.group(1));
        Optional<Long> last = number(single.group(2));
        if (first.isEmpty() && !single.group(1).isEmpty() || last.isEmpty() && !single.group(2).isEmpty()) {
            return new Whole();
        }
        if (first.isEmpty()) {
            long suffix = last.get();
            return suffix == 0 || size == 0 ? new Unsatisfiable() : new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        if (last.isPresent() && last.get() < first.get()) {
            return new Whole();
        }
        if (first.get() >= size) {
            return new Unsatisfiable();
        }
        return new Part(new ByteRange(first.get(), Math.min(size - 1, last.orElse(size - 1))));
    }

    public long length() {
        return last - first + 1;
    }

    /** The header that asks for this range: {@code bytes=first-last}. */
    public String header() {
        return "bytes=" + first + "-" + last;
    }

    /** The {@code Content-Range} of this part of a value of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The {@code Content-Range} of a 416 answer. */
    public static String unsatisfied(long size) {
        return "bytes */" + size;
    }

    /** Digits too large for a long are no number; the header is then ignored. */
    private static Optional<Long> number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits));
    }
}
