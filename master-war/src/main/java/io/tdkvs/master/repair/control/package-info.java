/**
 * Putting copies right while the master serves: {@link io.tdkvs.master.repair.control.Repairs} brings
 * keys whose write or read found a copy missing, damaged or unwritten back to the copies placement wants.
 */
package io.tdkvs.master.repair.control;
