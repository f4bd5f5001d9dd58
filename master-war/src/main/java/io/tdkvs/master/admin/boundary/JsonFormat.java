package io.tdkvs.master.admin.boundary;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import io.tdkvs.master.migration.entity.MigrationState;

/** How the master writes JSON: a migration's state in lower case ({@code "running"}), as the API documents it. */
@Provider
public class JsonFormat implements ContextResolver<Jsonb> {

    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withAdapters(new StateAdapter()));

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }

    /** {@code RUNNING} as {@code "running"}, and back. */
    public static final class StateAdapter implements JsonbAdapter<MigrationState, String> {

        @Override
        public String adaptToJson(MigrationState state) {
            return state.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public MigrationState adaptFromJson(String json) {
            return MigrationState.valueOf(json.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
