/**
 * The master: the only entry point for clients. {@code keys} handles the client API (values by key,
 * listings), {@code meta} keeps the metakeys and the topology in Berkeley DB JE, {@code topology}
 * decides placement, {@code volumes} talks to the volume servers and watches them, {@code migration}
 * moves keys when the topology changes, {@code admin} is the operator's API, {@code lifecycle} starts
 * and gates the server, {@code metrics} counts what it does, {@code errors} maps failures to HTTP.
 */
package io.tdkvs.master;
