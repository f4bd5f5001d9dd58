package io.tdkvs.volume;

import java.util.Map;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/")
public class VolumeApplication extends Application {

    /**
     * No WADL: OPTIONS answers the allowed methods only. No bean validation: no resource declares
     * a constraint, and Jersey would otherwise look for them on every request.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true, "jersey.config.beanValidation.disable.server", true);
    }
}
