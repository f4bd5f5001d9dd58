package io.tdkvs.volume.lifecycle;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.ConfigProvider;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.VolumeConfig;

/** Loads the volume's configuration file, named by {@code tdkvs.config} (or TDKVS_CONFIG), once. */
@ApplicationScoped
public class VolumeSettings {

    static final String CONFIG_PROPERTY = "tdkvs.config";

    @Produces
    @jakarta.inject.Singleton
    VolumeConfig config() {
        String file = ConfigProvider.getConfig().getOptionalValue(CONFIG_PROPERTY, String.class)
                .orElseThrow(() -> new ConfigException(Path.of("(none)"), "",
                        "no configuration file: start the volume with -D" + CONFIG_PROPERTY + "=<file> or TDKVS_CONFIG=<file>"));
        return VolumeConfig.load(Path.of(file));
    }
}
