package io.tdkvs.volume.errors;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.tdkvs.protocol.ProtocolException;
import io.tdkvs.protocol.VolumeApi;

/**
 * The one place where failures become HTTP answers: a status and a one-line plain-text message,
 * never a stack trace. Unexpected failures are logged and answered 500 without details.
 */
@Provider
public class VolumeExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(VolumeExceptionMapper.class.getName());

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof VolumeException known) {
            if (status(known.reason()) >= 500) {
                LOG.log(Level.WARNING, known.getMessage(), known.getCause());
            }
            return answer(status(known.reason()), known.getMessage()).build();
        }
        if (failure instanceof ProtocolException malformed) {
            return answer(400, malformed.getMessage()).build();
        }
        if (failure instanceof WebApplicationException web) {
            Response original = web.getResponse();
            String allowed = original.getHeaderString(HttpHeaders.ALLOW);
            String message = switch (original.getStatus()) {
                case 404 -> "no such resource; the volume serves /" + VolumeApi.BLOBS + " and /" + VolumeApi.STATUS;
                case 405 -> "/" + uri.getPath() + " does not take this method" + (allowed == null ? "" : "; it takes " + allowed);
                default -> web.getMessage();
            };
            Response.ResponseBuilder answer = answer(original.getStatus(), message);
            if (allowed != null) {
                answer.header(HttpHeaders.ALLOW, allowed);
            }
            return answer.build();
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return answer(500, "internal error; see the volume's log").build();
    }

    static int status(Reason reason) {
        return switch (reason) {
            case INVALID_NAME, INVALID_KEY, KEY_MISMATCH, MALFORMED_BODY, BODY_BROKE_OFF -> 400;
            case NO_SUCH_BLOB -> 404;
            case RANGE_OUTSIDE_VALUE -> 416;
            case DISK_FULL -> 507;
            case DISK_FAILED, CORRUPT_BLOB -> 500;
        };
    }

    private static Response.ResponseBuilder answer(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message + "\n");
    }
}
