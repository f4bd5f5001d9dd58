package io.tdkvs.protocol;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The body of {@code POST blobs/export} and {@code POST blobs/delete}: blob names, a line each; and
 * the answer of a delete, the number of blobs there were, as one line.
 */
public final class NameList {

    private NameList() {
    }

    public static String format(List<BlobName> names) {
        return names.stream().map(BlobName::value).collect(Collectors.joining("\n", "", names.isEmpty() ? "" : "\n"));
    }

    /** Blank lines are skipped. @throws ProtocolException at a line that is not a blob name */
    public static List<BlobName> parse(String body) {
        return body.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> BlobName.parse(line).orElseThrow(() -> new ProtocolException(
                        "\"" + line + "\" is not a blob name (<64 hex digits>.<16 hex digits>)")))
                .toList();
    }

    public static String deleted(int count) {
        return count + "\n";
    }

    /** @throws ProtocolException if the answer is not a count */
    public static int parseDeleted(String answer) {
        try {
            return Integer.parseInt(answer.strip());
        } catch (NumberFormatException e) {
            throw new ProtocolException("a delete answered \"" + answer.strip() + "\", not a count");
        }
    }
}
