package io.tdkvs.master.console.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's files, from the WAR: its own pages under {@code console/} on the class path, and the
 * chart library from its WebJar. Nothing is fetched from outside the cluster; the page's content security
 * policy allows this master alone.
 */
@Path("console")
@ApplicationScoped
@Tag(ref = "admin")
public class ConsoleResource {

    private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|svg|png)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; frame-ancestors 'none'";
    private static final String CHARTS = "uplot";
    private static final Map<String, String> CHART_FILES = Map.of("charts.js", "dist/uPlot.esm.js", "charts.css", "dist/uPlot.min.css");

    private final String chartsVersion = webJarVersion(CHARTS);

    @Inject
    HttpServletRequest request;

    /** The page, at {@code /console/} (where its files' relative links lead); {@code /console} leads there. */
    @GET
    @Operation(summary = "The console", description = "The cluster in a browser: masters, volumes, live figures, work in "
            + "progress, keys, and changes with the admin token.")
    public Response page() {
        return request.getRequestURI().endsWith("/") ? file("index.html") : Response.seeOther(URI.create("console/")).build();
    }

    /** A file of the console. */
    @GET
    @Path("{file}")
    @Operation(hidden = true)
    public Response file(@PathParam("file") String file) {
        InputStream in = FILE.matcher(file).matches()
                ? ConsoleResource.class.getClassLoader().getResourceAsStream("console/" + file) : null;
        return in == null ? notFound(file) : answer(in, file, "no-cache");
    }

    @GET
    @Path("lib/{file}")
    @Operation(hidden = true)
    public Response library(@PathParam("file") String name) {
        InputStream in = libraryStream(name);
        return in == null ? notFound("lib/" + name) : answer(in, name, "max-age=3600");
    }

    /** A file of the chart library's WebJar by the name the console gives it; null if there is none. */
    InputStream libraryStream(String name) {
        String inJar = CHART_FILES.get(name);
        return inJar == null ? null : ConsoleResource.class.getClassLoader()
                .getResourceAsStream("META-INF/resources/webjars/" + CHARTS + "/" + chartsVersion + "/" + inJar);
    }

    private static Response answer(InputStream in, String name, String caching) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return Response.ok(in, TYPES.get(extension))
                .header("Cache-Control", caching)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static Response notFound(String name) {
        return Response.status(Response.Status.NOT_FOUND).type("text/plain; charset=utf-8")
                .entity("the console has no file " + name + "\n").build();
    }

    /** The version of a WebJar in the WAR, from its Maven properties. */
    private static String webJarVersion(String artifact) {
        try (InputStream in = ConsoleResource.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the WAR lacks the WebJar " + artifact);
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
