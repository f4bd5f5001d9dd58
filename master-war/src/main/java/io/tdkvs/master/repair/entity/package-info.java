/** What the repairs keep as values: how far a verify got. */
package io.tdkvs.master.repair.entity;
