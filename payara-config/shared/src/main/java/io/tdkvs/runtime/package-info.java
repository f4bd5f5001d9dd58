/**
 * What both WARs need from the process they run in: leaving it when they cannot serve, the SHA-256
 * of keys, and streamed answers that fail quietly when a client goes away.
 */
package io.tdkvs.runtime;
