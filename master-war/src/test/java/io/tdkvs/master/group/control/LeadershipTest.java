package io.tdkvs.master.group.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.entity.Role;

class LeadershipTest {

    private static final GroupConfig GROUP = new GroupConfig("tdkvs", member(1), List.of(member(1), member(2), member(3)));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Leadership leadership = new Leadership(Optional.of(GROUP), now::get);

    @Test
    void aMasterOnItsOwnLeadsForEver() {
        Leadership alone = new Leadership(Optional.empty(), now::get);
        now.addAndGet(Duration.ofDays(1).toNanos());
        assertTrue(alone.mayAnswer());
        assertTrue(alone.holds(alone.view().term()));
        alone.requireLease();
    }

    @Test
    void anElectedMemberAnswersOnlyOnceItHasTakenOverAndAMajorityAcknowledgedACommit() {
        assertEquals(Role.OFFLINE, leadership.view().role());
        long term = leadership.elected();
        assertEquals(1, term);
        assertEquals(Role.TAKING_OVER, leadership.view().role());
        assertTrue(leadership.holds(term), "work of the term may begin while it takes over");
        assertFalse(leadership.mayAnswer());
        assertTrue(leadership.tookOver(term));
        assertFalse(leadership.mayAnswer(), "no commit was acknowledged yet");
        leadership.acknowledged(now.get());
        assertTrue(leadership.mayAnswer());
    }

    @Test
    void theLeaseRunsOutWhenNoCommitIsAcknowledgedForItsLength() {
        long term = leadership.elected();
        leadership.tookOver(term);
        long start = now.get();
        leadership.acknowledged(start);
        now.addAndGet(Leadership.LEASE.toNanos() - 1);
        assertTrue(leadership.mayAnswer());
        leadership.acknowledged(start - 1); // a commit that began earlier but ended later extends nothing
        now.addAndGet(1);
        assertFalse(leadership.mayAnswer());
        StoreException e = assertThrows(StoreException.class, leadership::requireLease);
        assertEquals(Reason.NO_LEADER, e.reason());
        assertTrue(e.getMessage().contains("has not heard from a majority of its group for 1500 ms"), e.getMessage());
        assertTrue(leadership.holds(term), "JE still says it leads: its work goes on, its answers do not");
        leadership.acknowledged(now.get());
        assertTrue(leadership.mayAnswer());
    }

    @Test
    void aFollowerKnowsItsLeaderAndTheTermItLedInEnds() {
        long term = leadership.elected();
        leadership.tookOver(term);
        leadership.follows(Optional.of("master2"));
        assertEquals(Role.FOLLOWER, leadership.view().role());
        assertEquals(Optional.of(member(2)), leadership.view().leader());
        assertTrue(leadership.view().following());
        assertFalse(leadership.holds(term));
        assertFalse(leadership.tookOver(term), "a take-over of an ended term does not make it lead");
        StoreException e = assertThrows(StoreException.class, leadership::requireLease);
        assertTrue(e.getMessage().contains("this master follows master2 (http://127.0.0.1:3010)"), e.getMessage());

        leadership.follows(Optional.empty());
        assertEquals(Role.ELECTING, leadership.view().role());
        assertFalse(leadership.view().following());
        assertEquals(2, leadership.elected(), "the next term");
    }

    @Test
    void aLeaderAddedSinceTheConfigIsReachedOnceItsAddressIsKnown() {
        leadership.follows(Optional.of("master4"));
        assertEquals(Role.FOLLOWER, leadership.view().role());
        assertFalse(leadership.view().following(), "its address is not known yet");
        GroupConfig.Member added = GroupConfig.Member.of("master4", "http://127.0.0.1:3030", "127.0.0.1:3130");
        leadership.knownMembers(List.of(added));
        assertEquals(Optional.of(added), leadership.view().leader());
        assertTrue(leadership.view().following());
    }

    @Test
    void awaitReturnsOnceTheViewPassesOrTheTimeIsUp() throws Exception {
        Leadership real = new Leadership(Optional.of(GROUP), System::nanoTime);
        CompletableFuture<Leadership.View> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return real.await(Leadership.View::following, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        real.follows(Optional.of("master3"));
        assertEquals(Optional.of(member(3)), waiting.get().leader());
        assertEquals(Role.FOLLOWER, real.await(Leadership.View::leading, Duration.ofMillis(50)).role());
    }

    private static GroupConfig.Member member(int i) {
        return new GroupConfig.Member("master" + i, URI.create("http://127.0.0.1:" + (3000 + 10 * (i - 1))),
                new GroupConfig.Address("127.0.0.1", 3100 + 10 * (i - 1)));
    }
}
