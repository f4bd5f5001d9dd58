package io.tdkvs.master.admin.boundary;

import java.io.StringReader;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.tdkvs.config.VolumeUrl;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/**
 * The bodies of the admin changes, read and refused with what they lack: a volume's {@code {"url": "http://host:port"}}
 * (and for a removal, {@code "acceptLoss"}), {@code {"replicas": n}}, and an expiry's {@code {"olderThanSeconds": n}}.
 */
final class AdminRequest {

    private static final String URL_EXAMPLE = "{\"url\": \"http://host:port\"}";
    private static final String REPLICAS_EXAMPLE = "{\"replicas\": 2}";
    static final String OLDER_THAN_EXAMPLE = "{\"olderThanSeconds\": 86400}";

    private AdminRequest() {
    }

    static VolumeUrl parse(String body) {
        return url(object(body));
    }

    /** The body of a removal: {@code {"url": "http://host:port", "acceptLoss": true}}, acceptLoss optional. */
    static Removal parseRemoval(String body) {
        JsonObject object = object(body);
        JsonValue acceptLoss = object.getOrDefault("acceptLoss", JsonValue.FALSE);
        if (acceptLoss != JsonValue.TRUE && acceptLoss != JsonValue.FALSE) {
            throw bad("\"acceptLoss\" must be true or false, not " + acceptLoss);
        }
        return new Removal(url(object), acceptLoss == JsonValue.TRUE);
    }

    /** The body of a change of the copies: {@code {"replicas": n}}. */
    static int parseReplicas(String body) {
        if (!(object(body, REPLICAS_EXAMPLE).get("replicas") instanceof JsonNumber replicas) || !replicas.isIntegral()) {
            throw bad("the body has no whole number \"replicas\"", REPLICAS_EXAMPLE);
        }
        try {
            return replicas.bigDecimalValue().intValueExact();
        } catch (ArithmeticException e) {
            throw bad("\"replicas\": " + replicas + " is out of range", REPLICAS_EXAMPLE);
        }
    }

    /** The body of an expiry of multipart uploads: {@code {"olderThanSeconds": n}}, n from 0 up. */
    static Duration parseOlderThan(String body) {
        if (!(object(body, OLDER_THAN_EXAMPLE).get("olderThanSeconds") instanceof JsonNumber seconds) || !seconds.isIntegral()
                || seconds.bigDecimalValue().signum() < 0) {
            throw bad("the body has no whole number \"olderThanSeconds\" from 0 up", OLDER_THAN_EXAMPLE);
        }
        try {
            return Duration.ofSeconds(seconds.bigDecimalValue().longValueExact());
        } catch (ArithmeticException e) {
            throw bad("\"olderThanSeconds\": " + seconds + " is out of range", OLDER_THAN_EXAMPLE);
        }
    }

    /** A volume to remove, and whether keys that only it holds may be lost. */
    record Removal(VolumeUrl url, boolean acceptLoss) {
    }

    private static JsonObject object(String body) {
        return object(body, URL_EXAMPLE);
    }

    private static JsonObject object(String body, String example) {
        try {
            JsonValue value = Json.createReader(new StringReader(body == null ? "" : body)).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw bad("the body must be a JSON object", example);
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw bad("the body is not JSON: " + e.getMessage(), example);
        }
    }

    private static VolumeUrl url(JsonObject object) {
        if (!(object.get("url") instanceof JsonString url)) {
            throw bad("the body has no \"url\" string");
        }
        return VolumeUrl.of(url.getString()).orElseThrow(() -> bad("\"" + url.getString()
                + "\" is not a volume URL (expected http://host:port)"));
    }

    private static StoreException bad(String problem) {
        return bad(problem, URL_EXAMPLE);
    }

    private static StoreException bad(String problem, String example) {
        return new StoreException(Reason.INVALID_CHANGE, problem + "; expected " + example);
    }
}
