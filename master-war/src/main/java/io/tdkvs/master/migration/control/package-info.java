/**
 * Moving keys when the topology changes: the {@link io.tdkvs.master.migration.control.Migrator} runs
 * rounds ({@link io.tdkvs.master.migration.control.MoveRound}) over the index until every key is where
 * placement puts it, as fast as the {@link io.tdkvs.master.migration.control.Pace} allows; each batch
 * ({@link io.tdkvs.master.migration.control.Mover}) copies, verifies, commits, then deletes the source.
 */
package io.tdkvs.master.migration.control;
