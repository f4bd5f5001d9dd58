package io.tdkvs.master.lifecycle;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

/**
 * Payara Micro's HTTP listeners (Grizzly's), reached by reflection through Payara's service locator:
 * to watch the requests they receive, and to stop them accepting connections before a stop. If
 * Payara's internals change, the callers log why their feature is off and tdkvs works on without it.
 */
public final class PayaraListeners {

    private PayaraListeners() {
    }

    /** The Grizzly listener ({@code org.glassfish.grizzly.config.GrizzlyListener}) of every HTTP listener. */
    public static List<Object> all() throws ReflectiveOperationException {
        ClassLoader loader = PayaraListeners.class.getClassLoader();
        Class<?> locatorType = Class.forName("org.glassfish.hk2.api.ServiceLocator", true, loader);
        Class<?> grizzlyType = Class.forName("com.sun.enterprise.v3.services.impl.GrizzlyService", true, loader);
        Class<?> listenerType = Class.forName("org.glassfish.grizzly.config.dom.NetworkListener", true, loader);
        Object locator = Class.forName("org.glassfish.internal.api.Globals", true, loader).getMethod("getDefaultHabitat").invoke(null);
        Object grizzly = locatorType.getMethod("getService", Class.class, Annotation[].class).invoke(locator, grizzlyType, new Annotation[0]);
        List<?> listeners = (List<?>) locatorType.getMethod("getAllServices", Class.class, Annotation[].class)
                .invoke(locator, listenerType, new Annotation[0]);
        List<Object> found = new ArrayList<>();
        for (Object listener : listeners) {
            Object proxy = grizzlyType.getMethod("lookupNetworkProxy", listenerType).invoke(grizzly, listener);
            if (proxy != null) {
                found.add(proxy.getClass().getMethod("getUnderlyingListener").invoke(proxy));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no HTTP listener found");
        }
        return found;
    }

    /**
     * Stops every HTTP listener accepting connections; the connections already open are served to the
     * end. Answers how many listeners stopped accepting.
     */
    public static int stopAccepting() throws ReflectiveOperationException {
        int stopped = 0;
        for (Object listener : all()) {
            Object transport = listener.getClass().getMethod("getTransport").invoke(listener);
            transport.getClass().getMethod("unbindAll").invoke(transport);
            stopped++;
        }
        return stopped;
    }
}
