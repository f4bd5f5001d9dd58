package io.tdkvs.master.s3.control;

import java.time.Clock;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.config.S3Config;
import io.tdkvs.master.s3.signature.Authenticated;
import io.tdkvs.master.s3.signature.SignatureV4;
import io.tdkvs.master.s3.signature.SignedRequest;

/** Who may use the S3 endpoint: requests signed (Signature Version 4) with a key of the master's config. */
@ApplicationScoped
public class S3Auth {

    @Inject
    MasterConfig config;

    private SignatureV4 signatures;

    @PostConstruct
    void start() {
        config.s3().ifPresent(s3 -> signatures = new SignatureV4(s3.region(), s3::secret, Clock.systemUTC()));
    }

    /** The S3 endpoint's settings; empty when it is off. */
    public Optional<S3Config> settings() {
        return config.s3();
    }

    /** @throws io.tdkvs.master.s3.signature.SignatureException if the request's signature does not let it in */
    public Authenticated verify(SignedRequest request) {
        if (signatures == null) {
            throw new IllegalStateException("the S3 endpoint is off");
        }
        return signatures.verify(request);
    }
}
