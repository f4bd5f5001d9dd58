package io.tdkvs.master.errors;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.tdkvs.master.keys.entity.InvalidKeyException;

/**
 * The one place where failures become HTTP answers: a status and a one-line plain-text message,
 * never a stack trace. Unexpected failures are logged and answered 500 without details.
 */
@Provider
public class StoreExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(StoreExceptionMapper.class.getName());
    private static final int RETRY_AFTER_SECONDS = 5;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof StoreException known) {
            Response.ResponseBuilder answer = answer(known.reason().status(), known.getMessage());
            if (known.reason() == Reason.NOT_SERVING || known.reason() == Reason.VOLUME_UNAVAILABLE) {
                answer.header("Retry-After", RETRY_AFTER_SECONDS);
            }
            if (known.reason() == Reason.UNAUTHORIZED) {
                answer.header("WWW-Authenticate", "Bearer realm=\"tdkvs admin\"");
            }
            return answer.build();
        }
        if (failure instanceof InvalidKeyException invalid) {
            int status = invalid.problem() == InvalidKeyException.Problem.TOO_LONG
                    ? Reason.KEY_TOO_LONG.status() : Reason.INVALID_KEY.status();
            return answer(status, invalid.getMessage()).build();
        }
        if (failure instanceof WebApplicationException web) {
            Response original = web.getResponse();
            String message = switch (original.getStatus()) {
                case 404 -> "no such endpoint; the API is PUT /set/<key>, GET|HEAD /get/<key>, DELETE /delete/<key>";
                case 405 -> "method not allowed here; the API is PUT /set/<key>, GET|HEAD /get/<key>, DELETE /delete/<key>";
                default -> web.getMessage();
            };
            Response.ResponseBuilder answer = answer(original.getStatus(), message);
            original.getHeaders().forEach((name, values) -> {
                if (name.equalsIgnoreCase("Allow")) {
                    values.forEach(value -> answer.header(name, value));
                }
            });
            return answer.build();
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return answer(500, "internal error; see the master's log").build();
    }

    private static Response.ResponseBuilder answer(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message + "\n");
    }
}
