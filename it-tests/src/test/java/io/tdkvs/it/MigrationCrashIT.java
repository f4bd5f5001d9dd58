package io.tdkvs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.tdkvs.it.support.Admin;
import io.tdkvs.it.support.Cluster;
import io.tdkvs.it.support.Dataset;
import io.tdkvs.it.support.Reply;
import io.tdkvs.it.support.Store;

/**
 * kill -9 of the master at random moments of a migration, and a volume that stops answering in
 * the middle of one: every key reads back byte for byte after each restart, the migration finishes,
 * and nothing is left on a volume where it does not belong.
 */
class MigrationCrashIT {

    private static final int KEYS = 6000;
    private static final int KILLS = 3;
    private static final int RATE = 40;
    private static final Duration MIGRATION = Duration.ofMinutes(5);

    /**
     * A second volume for one that holds 6,000 keys: about 3,000 move. The migration is held to
     * {@value #RATE} keys/s until the kills are done, so that each kill, restart and full check
     * (which reads every key while the migration goes on) finds it still running.
     */
    @Test
    void killingTheMasterThreeTimesDuringARebalanceLosesNothingAndLeavesNothingBehind() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (Cluster cluster = Cluster.start("migration-crash", 1)) {
            Store store = cluster.store();
            Dataset data = new Dataset("crash", KEYS);
            data.write(store);
            int added = cluster.addVolume();
            cluster.listVolumes(List.of(0, added));
            cluster.masterSettings("moveRate: " + RATE + "\n");
            cluster.stopMaster();

            List<String> kills = new ArrayList<>();
            long total = killDuringMigration(cluster, data, random, KILLS, kills);
            cluster.masterSettings("");
            cluster.startMaster();
            JsonObject done = cluster.awaitMigration(MIGRATION);
            assertEquals("done", Admin.state(done), done::toString);
            JsonObject status = Admin.status(store);
            assertTrue(status.getBoolean("settled") && status.getBoolean("serving"), status::toString);
            data.verify(store);

            List<Set<String>> holdings = holdings(cluster, 2);
            int onNew = holdings.get(added).size();
            System.out.printf("rebalance of %d keys onto a 2nd volume with %d kill -9 of the master (seed %d): %s; every key "
                    + "read back after each restart; %d keys (%.1f%%) on the new volume, no leftovers%n",
                    KEYS, KILLS, seed, String.join(", ", kills), onNew, 100.0 * onNew / KEYS);
            assertTrue(total >= KEYS * 0.45, "the migration moves " + total + " keys");
            assertEquals(KEYS, holdings.stream().mapToInt(Set::size).sum(), "every key on exactly one volume, no leftovers");
            assertTrue(onNew > KEYS * 0.45 && onNew < KEYS * 0.55, "moved " + onNew);
        }
    }

    /**
     * Two copies instead of one for 2,000 keys on three volumes, at {@value #RATE} copies/s, with two
     * kill -9 of the master while the copies are made: afterwards every key has two good copies, on distinct
     * volumes, and nothing else is left.
     */
    @Test
    void killingTheMasterDuringARereplicationLeavesEveryKeyWithItsCopies() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (Cluster cluster = Cluster.start("rereplication-crash", 3)) {
            Store store = cluster.store();
            Dataset data = new Dataset("copies", 2000);
            data.write(store);
            cluster.masterSettings("replicas: 2\nmoveRate: " + RATE + "\n");
            cluster.stopMaster();

            List<String> kills = new ArrayList<>();
            killDuringMigration(cluster, data, random, 2, kills);
            cluster.masterSettings("replicas: 2\n");
            cluster.startMaster();
            JsonObject done = cluster.awaitMigration(MIGRATION);
            assertEquals("done", Admin.state(done), done::toString);
            data.verify(store);
            System.out.printf("a second copy of %d keys with 2 kill -9 of the master (seed %d): %s%n", data.size(), seed,
                    String.join(", ", kills));
            List<Set<String>> holdings = holdings(cluster, 3);
            for (String key : data.keys()) {
                assertEquals(2, holdings.stream().filter(held -> held.contains(key)).count(), key + " has two copies");
            }
            assertEquals(2 * data.size(), holdings.stream().mapToInt(Set::size).sum(), "no leftovers");
        }
    }

    /**
     * Starts the master, then {@code kills} times kills it (SIGKILL) at a random moment of the migration
     * it resumes (at {@value #RATE} keys/s), starts it again and reads every key back while the migration
     * goes on; stops it at the end. Answers the most keys a start had left to move; {@code log} gets a line
     * per kill.
     */
    private static long killDuringMigration(Cluster cluster, Dataset data, Random random, int kills, List<String> log)
            throws InterruptedException {
        long total = 0;
        cluster.startMaster();
        for (int kill = 1; kill <= kills; kill++) {
            long remaining = awaitTotal(cluster);
            total = Math.max(total, remaining);
            JsonObject status = awaitMoved(cluster, moved(cluster.migration()) + random.nextInt(8 * RATE));
            assertEquals("running", Admin.state(status), "the migration ended before kill " + kill + ": " + status);
            cluster.master().kill();
            log.add(String.format("#%d after %d of the %d keys left", kill, moved(status), remaining));
            cluster.startMaster();
            data.verify(cluster.store());
        }
        cluster.stopMaster();
        return total;
    }

    @Test
    void aVolumeThatStopsAnsweringPausesTheMigrationWhichResumesWhenItIsBack() {
        try (Cluster cluster = Cluster.start("migration-outage", 2)) {
            Store store = cluster.store();
            Dataset data = new Dataset("outage", 4000);
            data.write(store);
            int added = cluster.addVolume();

            cluster.volume(1).stop();
            assertEquals(202, cluster.addOnline(added).status());
            JsonObject paused = awaitState(cluster, "paused");
            assertTrue(paused.getString("message").contains(cluster.volume(1).uri() + " is unavailable"), paused::toString);
            assertTrue(cluster.master().log().contains("paused: volume " + cluster.volume(1).uri()), cluster.master().logTail());

            cluster.volume(1).start().awaitReady();
            JsonObject done = cluster.awaitMigration(MIGRATION);
            assertEquals("done", Admin.state(done), done::toString);
            data.verify(store);
            List<Set<String>> holdings = holdings(cluster, 3);
            assertEquals(data.size(), holdings.stream().mapToInt(Set::size).sum(), "every key on exactly one volume");
        }
    }

    private static long moved(JsonObject migration) {
        return migration.getJsonNumber("moved").longValue();
    }

    private static long total(JsonObject migration) {
        return migration.getJsonNumber("total").longValue();
    }

    /** The keys each volume holds, from their listings. */
    private static List<Set<String>> holdings(Cluster cluster, int volumes) {
        List<Set<String>> holdings = new ArrayList<>();
        for (int i = 0; i < volumes; i++) {
            holdings.add(new HashSet<>(Store.blobKeys(cluster.volume(i).uri())));
        }
        return holdings;
    }

    /** Keys the migration has to move since this start; 0 if it has nothing left to do. */
    private static long awaitTotal(Cluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + MIGRATION.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = cluster.migration();
            if (!Admin.state(status).equals("running") || total(status) > 0) {
                return total(status);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the migration never counted its keys: " + cluster.migration());
    }

    private static JsonObject awaitMoved(Cluster cluster, long moved) throws InterruptedException {
        long deadline = System.nanoTime() + MIGRATION.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = cluster.migration();
            if (moved(status) >= moved || !Admin.state(status).equals("running")) {
                return status;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the migration never moved " + moved + " keys: " + cluster.migration());
    }

    private static JsonObject awaitState(Cluster cluster, String state) {
        long deadline = System.nanoTime() + MIGRATION.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = cluster.migration();
            if (Admin.state(status).equals(state)) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the migration never was " + state + ": " + cluster.migration());
    }
}
