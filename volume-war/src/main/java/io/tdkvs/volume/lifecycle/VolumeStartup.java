package io.tdkvs.volume.lifecycle;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.ConfigProvider;

import io.tdkvs.config.VolumeConfig;
import io.tdkvs.runtime.Exit;
import io.tdkvs.runtime.ResponseStreams;
import io.tdkvs.volume.blobs.control.BlobStore;
import io.tdkvs.volume.blobs.control.Scrubber;

/** Reads the configuration and opens the store before the volume serves; stops the process if it can't. */
@ApplicationScoped
public class VolumeStartup {

    private static final Logger LOG = Logger.getLogger(VolumeStartup.class.getName());

    private volatile boolean ready;

    void onStart(@Observes Startup startup, Instance<VolumeConfig> config, Instance<BlobStore> store, Instance<Scrubber> scrubber) {
        VolumeConfig settings;
        try {
            settings = config.get();
            store.get().usableBytes();
            scrubber.get().start();
        } catch (RuntimeException e) {
            Exit.fail(LOG, Exit.USAGE, "the volume cannot start: " + Exit.reason(e));
            return;
        }
        int httpPort = ConfigProvider.getConfig().getOptionalValue("payara.instance.http.port", Integer.class).orElse(settings.port());
        if (httpPort != settings.port()) {
            LOG.warning(() -> settings.file() + " says port " + settings.port() + ", but Payara Micro listens on "
                    + httpPort + "; start it with --port " + settings.port());
        }
        if (settings.secret().isEmpty()) {
            LOG.warning(() -> settings.file() + " names no secret: this volume takes blob calls from anyone who reaches its port; "
                    + "give it and its master the same secret");
        }
        ResponseStreams.quietClosedConnections();
        ready = true;
        LOG.info(() -> "volume ready on port " + httpPort + ", storing under " + settings.path());
    }

    boolean ready() {
        return ready;
    }
}
