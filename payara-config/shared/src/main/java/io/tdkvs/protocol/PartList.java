package io.tdkvs.protocol;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The body of {@code POST blobs/compose/<name>}: the blobs whose values, one after the other, make the
 * new blob's value, a line each, {@code <name> <size> <crc32c>}, with the size and CRC32C the master
 * knows each value by, so that the volume can check what it joins.
 */
public final class PartList {

    /** One blob to join: its name, and its value's size and CRC32C. */
    public record Part(BlobName name, long size, int crc32c) {

        public Part {
            if (size < 0) {
                throw new IllegalArgumentException("a size below 0: " + size);
            }
        }

        String line() {
            return name + " " + size + " " + VolumeApi.crc32cHeader(crc32c);
        }
    }

    private PartList() {
    }

    public static String format(List<Part> parts) {
        return parts.stream().map(Part::line).collect(Collectors.joining("\n", "", parts.isEmpty() ? "" : "\n"));
    }

    /**
     * Blank lines are skipped.
     *
     * @throws ProtocolException at a line that is not a part, or if there is none
     */
    public static List<Part> parse(String body) {
        List<Part> parts = body.lines().map(String::strip).filter(line -> !line.isEmpty()).map(PartList::part).toList();
        if (parts.isEmpty()) {
            throw new ProtocolException("a blob is composed of at least one part; none was named");
        }
        return parts;
    }

    private static Part part(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length == 3) {
            try {
                return new Part(new BlobName(fields[0]), Long.parseLong(fields[1]), VolumeApi.crc32cFromHeader(fields[2]));
            } catch (IllegalArgumentException | ProtocolException e) {
                // reported below
            }
        }
        throw new ProtocolException("\"" + line + "\" is not a part (<blob name> <size> <8 hex digits of CRC32C>)");
    }
}
