package io.tdkvs.master.group.control;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.config.GroupConfig;
import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.group.entity.Role;

/**
 * Who leads the group, as this master knows it, and whether it may still answer as the leader.
 * <p>
 * A leader answers only while it holds a <em>lease</em>: a commit acknowledged by a majority of the
 * group, begun less than {@link #LEASE} ago, shows that the others still followed it then. They elect
 * another leader only once they heard nothing from it for JE's replica timeout, longer than the lease;
 * so a leader cut off from the others stops answering, reads included, before a new one can take a
 * write. A master on its own leads, with a lease that never ends.
 * <p>
 * Each time this master becomes the leader begins a new <em>term</em>: work of the leader's (a
 * migration, the repairs, a verify) carries the term it began in and stops when that term is over.
 */
@Singleton
public class Leadership {

    /** How long an acknowledged commit lets the leader answer; less than the replica timeout (see {@link GroupTimings}). */
    public static final Duration LEASE = GroupTimings.LEASE;

    private final Optional<GroupConfig> group;
    private final LongSupplier nanos;
    /** Changed under this object's lock, read without it. */
    private volatile View view;
    /** Members by name: those the config lists, and those added since. */
    private volatile Function<String, Optional<GroupConfig.Member>> directory;
    /** When the latest acknowledged commit began (System.nanoTime); {@link #NO_LEASE} before the first of a term. */
    private final AtomicLong leaseStart = new AtomicLong(NO_LEASE);
    private static final long NO_LEASE = Long.MIN_VALUE;
    private final List<Consumer<View>> listeners = new CopyOnWriteArrayList<>();

    /**
     * What this master knows of the group.
     *
     * @param role   what it does now
     * @param leader     the leader, when it is another member that this master follows (and knows how to reach)
     * @param leaderName the leader's name, when it is another member
     * @param term       the term this master leads in (or last led in); 0 if it never led
     */
    public record View(Role role, Optional<GroupConfig.Member> leader, Optional<String> leaderName, long term) {

        /** Whether this master takes requests itself, as the leader. */
        public boolean leading() {
            return role == Role.LEADER;
        }

        /** Whether requests go to another member: this one follows a known leader. */
        public boolean following() {
            return role == Role.FOLLOWER && leader.isPresent();
        }
    }

    @Inject
    public Leadership(MasterConfig config) {
        this(config.group(), System::nanoTime);
    }

    public Leadership(Optional<GroupConfig> group, LongSupplier nanos) {
        this.group = group;
        this.nanos = nanos;
        this.view = new View(group.isPresent() ? Role.OFFLINE : Role.LEADER, Optional.empty(), Optional.empty(),
                group.isPresent() ? 0 : 1);
        this.directory = name -> group.flatMap(g -> g.member(name));
    }

    /** Whether this master belongs to a group. */
    public boolean grouped() {
        return group.isPresent();
    }

    public View view() {
        return view;
    }

    /** The member this master is, in a group. */
    public Optional<GroupConfig.Member> self() {
        return group.map(GroupConfig::self);
    }

    /**
     * JE says this master became the leader: a new term begins, taking over until {@link #tookOver}.
     * Answers the term.
     */
    public synchronized long elected() {
        leaseStart.set(NO_LEASE);
        return change(new View(Role.TAKING_OVER, Optional.empty(), Optional.empty(), view.term() + 1)).term();
    }

    /** The take-over of {@code term} is done: this master serves as the leader, if that term still runs. */
    public synchronized boolean tookOver(long term) {
        if (view.role() != Role.TAKING_OVER || view.term() != term) {
            return false;
        }
        change(new View(Role.LEADER, Optional.empty(), Optional.empty(), term));
        return true;
    }

    /** JE says another member leads, or none is known ({@code leaderName} empty); ends this master's term. */
    public synchronized void follows(Optional<String> leaderName) {
        Optional<String> other = leaderName.filter(name -> !name.equals(self().map(GroupConfig.Member::name).orElse(null)));
        Optional<GroupConfig.Member> leader = other.flatMap(directory);
        change(new View(other.isPresent() ? Role.FOLLOWER : Role.ELECTING, leader, other, view.term()));
    }

    /** Members added to the group since the config was written: their addresses, to reach them when they lead. */
    public synchronized void knownMembers(List<GroupConfig.Member> added) {
        directory = name -> group.flatMap(g -> g.member(name)).or(() -> added.stream().filter(m -> m.name().equals(name)).findFirst());
        if (view.role() == Role.FOLLOWER && view.leader().isEmpty()) {
            follows(view.leaderName());
        }
    }

    /** This master hands over before it stops: it takes no new requests as the leader. */
    public synchronized void steppingDown() {
        change(new View(Role.STEPPING_DOWN, Optional.empty(), Optional.empty(), view.term()));
    }

    /** The index is closed (stopping, or being reopened): this master can neither lead nor follow now. */
    public synchronized void offline() {
        change(new View(Role.OFFLINE, Optional.empty(), Optional.empty(), view.term()));
    }

    /** A commit begun at {@code startNanos} was acknowledged by a majority. */
    public void acknowledged(long startNanos) {
        leaseStart.accumulateAndGet(startNanos, (current, start) -> current == NO_LEASE || start - current > 0 ? start : current);
    }

    /** Whether this master may answer as the leader now: it leads, and its lease runs. */
    public boolean mayAnswer() {
        return view.leading() && leaseRuns();
    }

    /** Whether the lease runs (always, for a master on its own). */
    public boolean leaseRuns() {
        if (group.isEmpty()) {
            return true;
        }
        long start = leaseStart.get();
        return start != NO_LEASE && nanos.getAsLong() - start < LEASE.toNanos();
    }

    /** How long the lease still runs; zero once it has run out. */
    public Duration leaseLeft() {
        if (group.isEmpty()) {
            return ChronoUnit.FOREVER.getDuration();
        }
        long start = leaseStart.get();
        return start == NO_LEASE ? Duration.ZERO : Duration.ofNanos(Math.max(0, LEASE.toNanos() - (nanos.getAsLong() - start)));
    }

    /** Whether {@code term} still runs: this master leads in it (or takes over in it). */
    public boolean holds(long term) {
        View now = view;
        return now.term() == term && (now.role() == Role.LEADER || now.role() == Role.TAKING_OVER);
    }

    /**
     * Throws unless this master may answer as the leader: a follower that got here names its leader, a
     * leader whose lease ran out says it may have been cut off from the others.
     */
    public void requireLease() {
        View now;
        synchronized (this) {
            if (mayAnswer()) {
                return;
            }
            now = view;
        }
        if (now.leading()) {
            throw new StoreException(Reason.NO_LEADER, "this master has not heard from a majority of its group for "
                    + LEASE.toMillis() + " ms and may no longer lead it; send the request again (to another master)");
        }
        throw new StoreException(Reason.NO_LEADER, describe(now));
    }

    /** Waits up to {@code timeout} for a view that passes {@code test}; answers the last view. */
    public synchronized View await(Predicate<View> test, Duration timeout) throws InterruptedException {
        long deadline = nanos.getAsLong() + timeout.toNanos();
        for (long left = timeout.toNanos(); !test.test(view) && left > 0; left = deadline - nanos.getAsLong()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return view;
    }

    /** Why this master does not answer as the leader, for a client. */
    public static String describe(View view) {
        return switch (view.role()) {
            case OFFLINE -> "this master's index is not open (it is starting, stopping or catching up)";
            case ELECTING -> "the group of masters has no leader now (an election is under way, or too few members answer)";
            case FOLLOWER -> "this master follows " + view.leader().map(Object::toString)
                    .orElse(view.leaderName().orElse("another member") + ", whose address it does not know yet");
            case TAKING_OVER -> "this master was elected leader and is taking over";
            case LEADER -> "this master leads the group";
            case STEPPING_DOWN -> "this master is handing over to another member before it stops";
        };
    }

    /** Who is told of every change of the view, on the thread that made it; it must not block. */
    public void onChange(Consumer<View> listener) {
        listeners.add(listener);
    }

    private View change(View next) {
        view = next;
        notifyAll();
        listeners.forEach(listener -> listener.accept(next));
        return next;
    }
}
