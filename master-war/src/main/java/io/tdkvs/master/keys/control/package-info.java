/**
 * Storing, reading and deleting values in the order that keeps them safe: a PUT streams the value
 * to its volume under a new generation, then commits the metakey, then answers (the superseded blob
 * is removed after); a DELETE commits the removal, answers, then removes the blob.
 */
package io.tdkvs.master.keys.control;
