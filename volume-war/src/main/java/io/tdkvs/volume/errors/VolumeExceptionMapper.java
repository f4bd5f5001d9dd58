package io.tdkvs.volume.errors;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The one place where failures become HTTP answers: a status and a one-line plain-text message,
 * never a stack trace. Unexpected failures are logged and answered 500 without details.
 */
@Provider
public class VolumeExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(VolumeExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof VolumeException known) {
            if (known.reason() == Reason.STORAGE_FAILED) {
                LOG.log(Level.WARNING, known.getMessage(), known.getCause());
            }
            return answer(known.reason().status(), known.getMessage());
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return answer(status, status == 404 ? "no such resource" : web.getMessage());
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return answer(500, "internal error; see the volume's log");
    }

    private static Response answer(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message + "\n").build();
    }
}
