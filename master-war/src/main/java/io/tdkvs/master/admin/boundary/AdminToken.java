package io.tdkvs.master.admin.boundary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/** The bearer token that admin changes need: the {@code token} of the master's config. */
@ApplicationScoped
public class AdminToken {

    private static final String BEARER = "Bearer ";

    @Inject
    MasterConfig config;

    /**
     * @throws StoreException {@link Reason#NOT_AUTHENTICATED} without the token or with another one;
     *                        {@link Reason#CHANGES_DISABLED} if the config sets none
     */
    public void check(String authorization) {
        Optional<String> expected = config.token();
        if (expected.isEmpty()) {
            throw new StoreException(Reason.CHANGES_DISABLED, "changes through the admin API are turned off: set token in "
                    + "the master's config file to turn them on");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new StoreException(Reason.NOT_AUTHENTICATED, "this change needs the admin token: send Authorization: Bearer <token>");
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected.get().getBytes(StandardCharsets.UTF_8))) {
            throw new StoreException(Reason.NOT_AUTHENTICATED, "wrong admin token");
        }
    }
}
