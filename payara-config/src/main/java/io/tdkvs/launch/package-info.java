/**
 * Starting tdkvs instances on Payara Micro: the {@code tdkvs master|volume} command line and the
 * Payara Micro command it runs, shared by the {@code tdkvs} script and the integration tests.
 */
package io.tdkvs.launch;
