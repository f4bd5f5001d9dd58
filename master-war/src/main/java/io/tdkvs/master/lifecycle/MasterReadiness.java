package io.tdkvs.master.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the master serves clients; otherwise says why not. */
@Readiness
@ApplicationScoped
public class MasterReadiness implements HealthCheck {

    @Inject
    ServingGate gate;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tdkvs-master").status(gate.serving()).withData("state", gate.why()).build();
    }
}
