/** What both WARs need from the process they run in: leaving it when they cannot serve. */
package io.tdkvs.runtime;
