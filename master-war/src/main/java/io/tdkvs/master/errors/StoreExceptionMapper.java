package io.tdkvs.master.errors;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.keys.entity.InvalidKeyException;
import io.tdkvs.master.s3.boundary.S3Answers;
import io.tdkvs.master.s3.boundary.S3Targets;
import io.tdkvs.protocol.ByteRange;

/**
 * The one place where failures become HTTP answers: a status and a one-line plain-text message,
 * never a stack trace. Unexpected failures are logged and answered 500 without details.
 */
@Provider
@ApplicationScoped
public class StoreExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(StoreExceptionMapper.class.getName());
    private static final int RETRY_AFTER_SECONDS = 5;
    /** A 503 of a master that does not lead and did nothing: a master that relayed the request sends it to the next leader. */
    public static final String NOT_LEADER = "Tdkvs-Not-Leader";
    static final String API = "PUT /set/<key>, GET|HEAD /get/<key>, DELETE /delete/<key>, GET /list/<prefix> "
            + "(see GET /openapi)";

    @Context
    UriInfo uri;

    @Context
    Request request;

    @Inject
    MasterConfig config;

    /** CDI's request-bound proxy: the port a request came in on tells an S3 request from the store's own. */
    @Inject
    HttpServletRequest servlet;

    @Override
    public Response toResponse(Throwable failure) {
        if (S3Targets.arrived(servlet, config.s3())) {
            return S3Answers.of(failure);
        }
        if (failure instanceof StoreException known) {
            return answer(known).build();
        }
        if (failure instanceof InvalidKeyException invalid) {
            return answer(invalid.problem() == InvalidKeyException.Problem.TOO_LONG ? 414 : 400, invalid.getMessage()).build();
        }
        if (failure instanceof WebApplicationException web) {
            return answer(web).build();
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return answer(500, "internal error; see the master's log").build();
    }

    static int status(Reason reason) {
        return switch (reason) {
            case NO_SUCH_KEY, NO_SUCH_VOLUME, NO_SUCH_MEMBER, NO_GROUP, NO_SUCH_VERIFY -> 404;
            case VALUE_BROKE_OFF, INVALID_PAGE, INVALID_CHANGE -> 400;
            case RANGE_OUTSIDE_VALUE -> 416;
            case NOT_AUTHENTICATED -> 401;
            case CHANGES_DISABLED -> 403;
            case CHANGE_REFUSED -> 409;
            case VOLUME_UNAVAILABLE, NOT_SERVING, NO_LEADER, NO_QUORUM, COMMIT_UNCERTAIN -> 503;
            case MEMBER_REFUSED -> 409;
            case VOLUME_FAILED, VOLUME_ERROR -> 502;
            case VOLUME_FULL -> 507;
        };
    }

    private static Response.ResponseBuilder answer(StoreException known) {
        Response.ResponseBuilder answer = answer(status(known.reason()), known.getMessage());
        switch (known.reason()) {
            case VOLUME_UNAVAILABLE, NOT_SERVING -> answer.header("Retry-After", RETRY_AFTER_SECONDS);
            case NO_LEADER -> answer.header("Retry-After", 1).header(NOT_LEADER, "true");
            case NO_QUORUM, COMMIT_UNCERTAIN -> answer.header("Retry-After", 1);
            case NOT_AUTHENTICATED -> answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tdkvs admin\"");
            case RANGE_OUTSIDE_VALUE -> answer.header("Content-Range",
                    ByteRange.unsatisfied(((UnsatisfiableRangeException) known).valueSize()));
            default -> {
                // the status says it all
            }
        }
        return answer;
    }

    /** Jersey's own refusals: no such resource, a method it does not take, ... */
    private Response.ResponseBuilder answer(WebApplicationException web) {
        Response original = web.getResponse();
        String allowed = original.getHeaderString(HttpHeaders.ALLOW);
        String message = switch (original.getStatus()) {
            case 404 -> "no such endpoint; the API is " + API;
            case 405 -> request.getMethod() + " /" + uri.getPath() + " is not allowed"
                    + (allowed == null ? "" : "; it takes " + allowed);
            default -> web.getMessage();
        };
        Response.ResponseBuilder answer = answer(original.getStatus(), message);
        if (allowed != null) {
            answer.header(HttpHeaders.ALLOW, allowed);
        }
        return answer;
    }

    private static Response.ResponseBuilder answer(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message + "\n");
    }
}
