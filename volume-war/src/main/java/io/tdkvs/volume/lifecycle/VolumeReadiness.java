package io.tdkvs.volume.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the configuration is read and the store is open. */
@Readiness
@ApplicationScoped
public class VolumeReadiness implements HealthCheck {

    @Inject
    VolumeStartup startup;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tdkvs-volume").status(startup.ready()).build();
    }
}
