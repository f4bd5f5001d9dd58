package io.tdkvs.master.keys.boundary;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.lifecycle.PayaraListeners;
import io.tdkvs.master.s3.boundary.S3Targets;

/**
 * Routes request targets as {@link RequestTargets} says, before Payara's web container decodes
 * them: without it, a key with a NUL byte or a backslash cannot be sent in a path, and a malformed
 * percent-escape gets an empty 200 from the container (payara/Payara#8000), which a client could take
 * for a stored value. It registers a Grizzly probe on the HTTP listeners, which runs before the
 * container sees the request. Payara's internals are reached by reflection: if they change, the
 * guard logs why it is off and tdkvs works on without it ({@code ?key=} carries any key).
 */
@ApplicationScoped
public class RequestTargetGuard {

    private static final Logger LOG = Logger.getLogger(RequestTargetGuard.class.getName());

    private Method requestPacket;
    private Method requestUri;
    private Method queryString;
    private Method setRequestUri;
    private Method setQueryString;
    private Method localPort;

    @Inject
    MasterConfig config;

    void install(@Observes Startup startup) {
        try {
            int listeners = installProbes();
            LOG.fine(() -> "request target guard on " + listeners + " HTTP listener(s)");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "the request target guard is off (" + e + "): keys with a NUL byte or a backslash "
                    + "must be sent as ?key=, and a malformed escape in a path gets an empty 200 from Payara", e);
        }
    }

    private int installProbes() throws ReflectiveOperationException {
        ClassLoader loader = RequestTargetGuard.class.getClassLoader();
        Class<?> filterType = Class.forName("org.glassfish.grizzly.http.server.HttpServerFilter", true, loader);
        Class<?> probeType = Class.forName("org.glassfish.grizzly.http.server.HttpServerProbe", true, loader);
        Class<?> packetType = Class.forName("org.glassfish.grizzly.http.HttpRequestPacket", true, loader);
        requestPacket = Class.forName("org.glassfish.grizzly.http.server.Request", true, loader).getMethod("getRequest");
        requestUri = packetType.getMethod("getRequestURI");
        localPort = Class.forName("org.glassfish.grizzly.http.server.Request", true, loader).getMethod("getLocalPort");
        queryString = packetType.getMethod("getQueryString");
        setRequestUri = packetType.getMethod("setRequestURI", String.class);
        setQueryString = packetType.getMethod("setQueryString", String.class);

        Object probes = Array.newInstance(probeType, 1);
        Array.set(probes, 0, Proxy.newProxyInstance(probeType.getClassLoader(), new Class<?>[] {probeType}, probe()));
        int installed = 0;
        for (Object grizzlyListener : PayaraListeners.all()) {
            for (Object filter : (List<?>) grizzlyListener.getClass().getMethod("getFilters", Class.class).invoke(grizzlyListener, filterType)) {
                Object monitoring = filterType.getMethod("getMonitoringConfig").invoke(filter);
                monitoring.getClass().getMethod("addProbes", Object[].class).invoke(monitoring, probes);
                installed++;
            }
        }
        if (installed == 0) {
            throw new IllegalStateException("no HTTP listener found");
        }
        return installed;
    }

    private InvocationHandler probe() {
        return (proxy, method, args) -> switch (method.getName()) {
            case "onRequestReceiveEvent" -> {
                route(args[2]);
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "tdkvs request target guard";
            default -> null;
        };
    }

    private void route(Object request) {
        try {
            Object packet = requestPacket.invoke(request);
            if (config.s3().isPresent() && (int) localPort.invoke(request) == config.s3().get().port()) {
                String query = S3Targets.query((String) requestUri.invoke(packet), (String) queryString.invoke(packet));
                setRequestUri.invoke(packet, S3Targets.PATH);
                setQueryString.invoke(packet, query);
                return;
            }
            RequestTargets.repair((String) requestUri.invoke(packet), (String) queryString.invoke(packet)).ifPresent(target -> {
                try {
                    setRequestUri.invoke(packet, target.path());
                    setQueryString.invoke(packet, target.query());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not route a request target", e);
        }
    }
}
