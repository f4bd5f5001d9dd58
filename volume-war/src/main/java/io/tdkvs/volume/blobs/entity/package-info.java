/** Value types of the blob store: a blob's name, what is known of a stored blob, an open blob. */
package io.tdkvs.volume.blobs.entity;
