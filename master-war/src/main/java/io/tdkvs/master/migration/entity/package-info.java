/** What a migration reports of itself. */
package io.tdkvs.master.migration.entity;
