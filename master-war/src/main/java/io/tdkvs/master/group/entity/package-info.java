/** The group of masters as values: a member's role, and what the status shows of each member. */
package io.tdkvs.master.group.entity;
