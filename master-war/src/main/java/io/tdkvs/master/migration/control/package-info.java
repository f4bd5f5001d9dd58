/**
 * Moving keys when the topology changes: the {@link io.tdkvs.master.migration.control.Migrator}
 * finds the keys whose placement changed and moves them in parallel; each move
 * ({@link io.tdkvs.master.migration.control.Mover}) copies, verifies, commits, then deletes the source.
 */
package io.tdkvs.master.migration.control;
