/**
 * The group of masters on Berkeley DB JE High Availability: which member leads (and for how long it
 * may still answer as leader: its lease), the take-over and the hand-over, what each member answers.
 */
package io.tdkvs.master.group.control;
