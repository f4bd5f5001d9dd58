package io.tdkvs.it.support;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import io.tdkvs.protocol.ClusterSignature;

/**
 * The cluster secret in the config of every master and volume the tests start, and the signature
 * the tests' own calls to volumes carry, as the master's do (a master ignores it).
 */
public final class ClusterSecret {

    public static final String SECRET = "it-cluster-secret-0123456789abcdef";
    public static final ClusterSignature SIGNATURE = new ClusterSignature(SECRET);

    private ClusterSecret() {
    }

    /** The config line that names it. */
    public static String yaml() {
        return "secret: " + SECRET + "\n";
    }

    /** The signature header's value for a request of this method and target (path and query, as sent). */
    public static String sign(String method, String target) {
        return SIGNATURE.sign(method, target);
    }

    /** Signs every request of a JAX-RS client. */
    public static final class Signer implements ClientRequestFilter {
        @Override
        public void filter(ClientRequestContext request) {
            String target = request.getUri().getRawPath() + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery());
            request.getHeaders().putSingle(ClusterSignature.HEADER, sign(request.getMethod(), target));
        }
    }
}
