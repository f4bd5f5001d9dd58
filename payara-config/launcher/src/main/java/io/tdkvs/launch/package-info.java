/**
 * Starting tdkvs servers on Payara Micro: the {@code tdkvs master|volume|local} command line, and the
 * Payara Micro command a server runs with ({@link io.tdkvs.launch.PayaraCommand}), which the integration
 * suite's Arquillian containers use too.
 */
package io.tdkvs.launch;
