package io.tdkvs.protocol;

/**
 * What a volume did with one blob of the frames it took in ({@code POST blobs/import}), a line of its
 * answer: {@code <name> <size> <crc32c>} for a blob it stored (the value's size and CRC32C), or
 * {@code <name> absent} for one the sender did not have.
 */
public record Imported(BlobName name, boolean present, long size, int crc32c) {

    private static final String ABSENT = "absent";

    public static Imported stored(BlobName name, long size, int crc32c) {
        return new Imported(name, true, size, crc32c);
    }

    public static Imported absent(BlobName name) {
        return new Imported(name, false, 0, 0);
    }

    public String line() {
        return name + (present ? " " + size + " " + VolumeApi.crc32cHeader(crc32c) : " " + ABSENT);
    }

    /** @throws ProtocolException if the line is not an import answer */
    public static Imported parse(String line) {
        String[] fields = line.split(" ", -1);
        try {
            if (fields.length == 2 && fields[1].equals(ABSENT)) {
                return absent(new BlobName(fields[0]));
            }
            if (fields.length == 3) {
                return stored(new BlobName(fields[0]), Long.parseLong(fields[1]), VolumeApi.crc32cFromHeader(fields[2]));
            }
        } catch (IllegalArgumentException | ProtocolException e) {
            // reported below
        }
        throw new ProtocolException("not a line of an import answer: \"" + line + "\"");
    }
}
