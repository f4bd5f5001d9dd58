package io.tdkvs.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The base URL of a volume server, normalised (lower-case scheme and host, no trailing slash) so that
 * the same volume written two ways is recognised as one. Volumes are identified by it, not by their
 * position in the config file.
 */
public record VolumeUrl(String value) {

    public VolumeUrl {
        if (parse(value).filter(value::equals).isEmpty()) {
            throw new IllegalArgumentException("not a normalised volume URL: " + value);
        }
    }

    /** The normalised form of {@code text}, or empty when it is not an http(s)://host[:port][/path] URL. */
    public static Optional<VolumeUrl> of(String text) {
        return parse(text).map(VolumeUrl::new);
    }

    private static Optional<String> parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path);
    }

    public URI resolve(String relativePath) {
        return URI.create(value + "/" + relativePath);
    }

    @Override
    public String toString() {
        return value;
    }
}
