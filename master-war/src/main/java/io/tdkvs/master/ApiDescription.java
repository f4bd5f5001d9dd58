package io.tdkvs.master;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.tdkvs.master.migration.entity.MigrationState;

/**
 * Finishes {@code GET /openapi} where the annotations cannot say it: a path such as
 * {@code /get{key: (/.*)?}} (a JAX-RS template with a pattern, so that one method takes both
 * {@code /get/<key>} and {@code /get?key=}) is shown as {@code /get/{key}}, and a migration's state as
 * the lower-case words the JSON carries.
 */
public class ApiDescription implements OASFilter {

    private static final Pattern TEMPLATE = Pattern.compile("/?\\{(\\w+):[^}]*\\}");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Paths paths = openAPI.getPaths();
        if (paths != null && paths.getPathItems() != null) {
            for (Map.Entry<String, PathItem> path : Map.copyOf(paths.getPathItems()).entrySet()) {
                String shown = shown(path.getKey());
                if (!shown.equals(path.getKey())) {
                    paths.removePathItem(path.getKey());
                    paths.addPathItem(shown, path.getValue());
                }
            }
        }
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            Schema state = openAPI.getComponents().getSchemas().get(MigrationState.class.getSimpleName());
            if (state != null) {
                List<Object> words = Arrays.stream(MigrationState.values())
                        .map(value -> (Object) value.name().toLowerCase(Locale.ROOT)).toList();
                state.setEnumeration(words);
                state.setType(Schema.SchemaType.STRING);
            }
        }
    }

    /** {@code /get{key: (/.*)?}} as {@code /get/{key}}. */
    static String shown(String path) {
        return TEMPLATE.matcher(path).replaceAll("/{$1}");
    }
}
