/** A client's key, parsed and validated, and the metakey that says where its value lives. */
package io.tdkvs.master.keys.entity;
