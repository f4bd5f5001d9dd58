package io.tdkvs.master.keys.boundary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.lifecycle.ServingGate;
import io.tdkvs.master.meta.control.MetaStore;

/**
 * {@code GET /list/<prefix>?after=<key>&limit=<n>}: the keys that start with a prefix, in the order of
 * their UTF-8 bytes, a page at a time, from the index.
 */
@Path("")
@ApplicationScoped
@Tag(ref = "keys")
public class ListingResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    MetaStore metaKeys;

    @Inject
    ServingGate gate;

    @Inject
    HttpServletRequest request;

    /**
     * A page of keys.
     *
     * @param next the key to give as {@code after} for the next page; absent on the last page
     */
    public record Page(List<String> keys, String next) {
    }

    @GET
    @Path("list{prefix: (/.*)?}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List keys", description = "The keys that start with a prefix (every key without one), in the "
            + "order of their UTF-8 bytes, up to `limit` at a time: {\"keys\": [...], \"next\": \"<key>\"}. Give `next` "
            + "as `after` for the next page; the last page has no `next`.")
    @Parameter(name = "prefix", in = ParameterIn.PATH, required = true, description = "the prefix, as /list/<prefix> (or /list?prefix=<prefix>; /list alone lists every key)")
    @Parameter(name = "after", in = ParameterIn.QUERY, description = "list the keys after this one")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "at most this many keys, 1 to " + MAX_LIMIT
            + " (default and cap " + MAX_LIMIT + ")")
    @APIResponse(responseCode = "200", description = "a page of keys")
    @APIResponse(responseCode = "400", description = "a limit that is not a positive number, a malformed prefix or after")
    @APIResponse(responseCode = "414", description = "a prefix longer than 8192 bytes")
    public Page list(@QueryParam("limit") String limit) {
        gate.requireServing();
        String rawQuery = request.getQueryString();
        String prefix = RequestKey.prefix(KeysResource.rawPath(request), rawQuery);
        Optional<Key> after = RequestKey.queryKey(rawQuery, "after");
        int pageSize = limit(limit);
        List<Key> keys = new ArrayList<>(); // the store's own keys left out: read on past them
        for (Optional<Key> from = after; keys.size() <= pageSize; ) {
            int wanted = pageSize + 1 - keys.size();
            List<Key> batch = metaKeys.keys(prefix.getBytes(StandardCharsets.UTF_8), from, wanted);
            batch.stream().filter(key -> !key.reserved()).forEach(keys::add);
            if (batch.size() < wanted) {
                break;
            }
            Key last = batch.get(batch.size() - 1);
            Key past = Key.of(Key.AFTER_RESERVED);
            from = Optional.of(last.reserved() && java.util.Arrays.compareUnsigned(last.utf8(), past.utf8()) < 0 ? past : last);
        }
        gate.requireServing(); // still the leader once the page was read
        boolean more = keys.size() > pageSize;
        List<String> page = keys.stream().limit(pageSize).map(Key::value).toList();
        return new Page(page, more ? page.get(page.size() - 1) : null);
    }

    private static int limit(String limit) {
        if (limit == null) {
            return MAX_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value > 0) {
                return Math.min(value, MAX_LIMIT);
            }
        } catch (NumberFormatException e) {
            if (limit.strip().matches("\\d+")) {
                return MAX_LIMIT;
            }
        }
        throw new StoreException(Reason.INVALID_PAGE, "limit=" + limit + " is not a number of keys (1 to " + MAX_LIMIT + ")");
    }
}
