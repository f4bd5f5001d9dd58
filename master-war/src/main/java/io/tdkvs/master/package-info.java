/**
 * The master: the only entry point for clients. {@code keys} handles GET/PUT/DELETE of values,
 * {@code meta} keeps the metakeys and the topology in Berkeley DB JE, {@code topology} decides
 * placement, {@code volumes} talks to the volume servers, {@code migration} moves keys when the
 * topology changes, {@code lifecycle} starts and gates the server, {@code errors} maps failures to HTTP.
 */
package io.tdkvs.master;
