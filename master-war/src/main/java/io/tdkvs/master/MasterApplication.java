package io.tdkvs.master;

import java.util.Map;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@ApplicationPath("/")
@OpenAPIDefinition(
        info = @Info(title = "tdkvs", version = "1",
                description = "A distributed key-value store. Clients store, read, delete and list values by key on the "
                        + "master; operators follow it and change its volumes through the admin API. A key is any "
                        + "non-empty UTF-8 string of at most 8192 bytes: in a path, everything after the endpoint, "
                        + "percent-decoded ('/' and ';' are part of the key); or the form-encoded `key` query parameter, "
                        + "for keys a path cannot carry. Errors answer a one-line text/plain message."),
        tags = {@Tag(name = "keys", description = "values by key"),
                @Tag(name = "admin", description = "the cluster's state and its volumes")})
@SecurityScheme(securitySchemeName = "admin-token", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "the `token` of the master's config file")
public class MasterApplication extends Application {

    /**
     * No WADL: OPTIONS answers the allowed methods only; the API is described at /openapi. No bean validation: no resource declares
     * a constraint, and Jersey would otherwise look for them on every request.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true, "jersey.config.beanValidation.disable.server", true);
    }
}
