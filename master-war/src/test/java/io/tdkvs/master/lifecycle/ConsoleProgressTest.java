package io.tdkvs.master.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;

class ConsoleProgressTest {

    @Test
    void drawsTheShareMovedTheRateAndTheTimeLeft() {
        MigrationStatus status = new MigrationStatus(MigrationState.RUNNING, "drain", 1500, 5000, 0, "2026-01-01T00:00:00Z",
                1.25, 1200, 3L, null);
        assertEquals("[#########---------------------]  30%  1,500/5,000 keys  1,200 keys/s  ETA 3 s",
                ConsoleProgress.render(status));
    }

    @Test
    void saysWhatItDoesBeforeItKnowsHowManyKeysToMove() {
        assertEquals("counting the keys to move ...", ConsoleProgress.render(
                new MigrationStatus(MigrationState.RUNNING, "drain", 0, 0, 0, null, 0.1, 0, null, null)));
    }

    @Test
    void saysWhyItIsPausedAndWhenItIsDone() {
        assertEquals("[------------------------------]   0%  0/10 keys  0 keys/s  paused: volume http://a:1 is unavailable",
                ConsoleProgress.render(new MigrationStatus(MigrationState.PAUSED, "drain", 0, 10, 1, null, 2, 0, null,
                        "volume http://a:1 is unavailable")));
        assertEquals("[##############################] 100%  10/10 keys  5 keys/s  done",
                ConsoleProgress.render(new MigrationStatus(MigrationState.DONE, "drain", 10, 10, 0, null, 2, 5, null, null)));
    }
}
