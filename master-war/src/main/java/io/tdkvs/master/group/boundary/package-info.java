/**
 * The group of masters at the HTTP boundary: a follower relays what it cannot serve to the leader;
 * the admin API adds and removes members.
 */
package io.tdkvs.master.group.boundary;
