package io.tdkvs.master.lifecycle;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.tdkvs.config.ConfigException;
import io.tdkvs.config.MasterConfig;

/**
 * The master's settings from its environment: {@code tdkvs.config} (or TDKVS_CONFIG), the config
 * file, loaded once; {@code tdkvs.delete} (or TDKVS_DELETE), the index of a volume to delete;
 * {@code tdkvs.rebuild} (or TDKVS_REBUILD) {@code true}, to recreate a lost index from the volumes.
 */
@ApplicationScoped
public class MasterSettings {

    static final String CONFIG_PROPERTY = "tdkvs.config";
    static final String DELETE_PROPERTY = "tdkvs.delete";
    static final String REBUILD_PROPERTY = "tdkvs.rebuild";

    @Produces
    @Singleton
    MasterConfig config() {
        String file = properties().getOptionalValue(CONFIG_PROPERTY, String.class)
                .orElseThrow(() -> new ConfigException(Path.of("(none)"), "",
                        "no configuration file: start the master with -D" + CONFIG_PROPERTY + "=<file> or TDKVS_CONFIG=<file>"));
        return MasterConfig.load(Path.of(file));
    }

    /** The index of the volume to delete, if the master runs to delete one. */
    Optional<Integer> deleteIndex() {
        return properties().getOptionalValue(DELETE_PROPERTY, String.class).map(MasterConfig::deleteIndex);
    }

    /** Whether the master runs to rebuild its index from the volumes. */
    boolean rebuild() {
        return properties().getOptionalValue(REBUILD_PROPERTY, Boolean.class).orElse(false);
    }

    private static Config properties() {
        return ConfigProvider.getConfig();
    }
}
