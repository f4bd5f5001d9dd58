package io.tdkvs.master.admin.boundary;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/** The body of an admin change to a volume: {@code {"url": "http://host:port"}}. */
final class VolumeRequest {

    private VolumeRequest() {
    }

    static VolumeUrl parse(String body) {
        JsonObject object;
        try {
            JsonValue value = Json.createReader(new StringReader(body == null ? "" : body)).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw bad("the body must be a JSON object");
            }
            object = value.asJsonObject();
        } catch (JsonException e) {
            throw bad("the body is not JSON: " + e.getMessage());
        }
        if (!(object.get("url") instanceof JsonString url)) {
            throw bad("the body has no \"url\" string");
        }
        return VolumeUrl.of(url.getString()).orElseThrow(() -> bad("\"" + url.getString()
                + "\" is not a volume URL (expected http://host:port)"));
    }

    private static StoreException bad(String problem) {
        return new StoreException(Reason.INVALID_CHANGE, problem + "; expected {\"url\": \"http://host:port\"}");
    }
}
