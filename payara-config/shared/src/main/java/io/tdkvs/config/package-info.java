/**
 * The YAML configuration files of the master and the volume: one immutable, validated record per
 * server, with every default in one place. A bad file fails with the file, the field and the reason.
 */
package io.tdkvs.config;
