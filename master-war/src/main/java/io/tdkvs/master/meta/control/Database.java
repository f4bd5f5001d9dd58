package io.tdkvs.master.meta.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.Sequence;
import com.sleepycat.je.SequenceConfig;
import com.sleepycat.je.Transaction;
import com.sleepycat.je.TransactionConfig;
import com.sleepycat.je.rep.InsufficientAcksException;
import com.sleepycat.je.rep.InsufficientReplicasException;
import com.sleepycat.je.rep.LockPreemptedException;
import com.sleepycat.je.rep.ReplicaConsistencyException;
import com.sleepycat.je.rep.ReplicaWriteException;
import com.sleepycat.je.rep.ReplicatedEnvironment;
import com.sleepycat.je.rep.RestartRequiredException;
import com.sleepycat.je.rep.StateChangeException;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/**
 * The JE environment under {@code <data>/je}: the {@code keys} database (metakeys), the
 * {@code cluster} database (topology and the generation sequence). Commits are durable: fsync'd, and
 * in a group of masters also held by a majority of it before they return.
 * <p>
 * A master on its own opens the environment at once. In a group, {@code io.tdkvs.master.group} opens
 * the replicated environment and {@link #attach attaches} it, and detaches it to reopen it after JE
 * rolled back this member's unacknowledged commits. Meanwhile operations fail cleanly (503), as they
 * do while it closes: closing waits for the operations in flight, whatever order the container stops
 * things in. JE's replication failures become the store's reasons here, in one place.
 */
@Singleton
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final int ATTEMPTS = 10;
    static final String DATA_DIRECTORY = "je";
    private static final byte[] HEARTBEAT = bytes("heartbeat");
    /** A heartbeat needs the acknowledgement of a majority, not the disk. */
    private static final TransactionConfig HEARTBEATS = new TransactionConfig().setDurability(
            new Durability(Durability.SyncPolicy.NO_SYNC, Durability.SyncPolicy.NO_SYNC, Durability.ReplicaAckPolicy.SIMPLE_MAJORITY));

    private volatile Handles handles;
    private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile Supplier<String> offline = () -> "the master is opening its index";
    private volatile LongConsumer acknowledged = start -> { };
    private volatile Consumer<RuntimeException> restartRequired = e -> { };

    /** The open environment and its databases; the sequence only while this master may write. */
    private record Handles(Environment environment, com.sleepycat.je.Database keys, com.sleepycat.je.Database cluster,
                           Sequence generations) {

        Handles withGenerations(Sequence sequence) {
            return new Handles(environment, keys, cluster, sequence);
        }
    }

    @Inject
    Database(MasterConfig config) {
        if (config.group().isEmpty()) {
            openStandalone(directory(config));
        }
    }

    /** A master on its own: opens (or creates) the environment under {@code directory} now. */
    public Database(Path directory) {
        openStandalone(directory);
    }

    /** Where the environment of a master of {@code config} lives. */
    public static Path directory(MasterConfig config) {
        return config.data().resolve(DATA_DIRECTORY);
    }

    private void openStandalone(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index directory " + directory, e);
        }
        EnvironmentConfig config = environmentConfig(Durability.COMMIT_SYNC);
        Environment environment = new Environment(directory.toFile(), config);
        attach(environment, true);
        openGenerations();
        LOG.info(() -> "index opened at " + directory + " with " + call(() -> keys().count()) + " keys");
    }

    /** The settings of every environment of the index: transactional, 40% of the heap as cache, commits as {@code durability}. */
    public static EnvironmentConfig environmentConfig(Durability durability) {
        EnvironmentConfig config = new EnvironmentConfig()
                .setAllowCreate(true)
                .setTransactional(true)
                .setLockTimeout(5, TimeUnit.SECONDS)
                .setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
        config.setCachePercent(40);
        config.setDurability(durability);
        return config;
    }

    /** The durability of a group's commits: fsync'd on the leader, written (not synced) on a majority of the others. */
    public static Durability groupDurability() {
        return new Durability(Durability.SyncPolicy.SYNC, Durability.SyncPolicy.WRITE_NO_SYNC,
                Durability.ReplicaAckPolicy.SIMPLE_MAJORITY);
    }

    /**
     * Opens the databases of an open environment and serves from it.
     *
     * @param create whether they may be created: only a master on its own, or a group's leader, can
     * @throws com.sleepycat.je.DatabaseNotFoundException if they do not exist yet (a new member that
     *         has not yet received them)
     */
    public void attach(Environment environment, boolean create) {
        DatabaseConfig databases = new DatabaseConfig().setAllowCreate(create).setTransactional(true);
        com.sleepycat.je.Database keys = environment.openDatabase(null, "keys", databases);
        com.sleepycat.je.Database cluster;
        try {
            cluster = environment.openDatabase(null, "cluster", databases);
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
        open.writeLock().lock();
        try {
            handles = new Handles(environment, keys, cluster, null);
        } finally {
            open.writeLock().unlock();
        }
    }

    /** Whether an environment is attached. */
    public boolean attached() {
        return handles != null;
    }

    /**
     * Stops serving from the environment and closes its databases, once the operations in flight have
     * ended; answers the environment, which the caller closes. Operations fail meanwhile with {@code why}.
     */
    public Optional<Environment> detach(Supplier<String> why) {
        try {
            if (closed || !open.writeLock().tryLock(30, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            offline = why;
            Handles detached = handles;
            handles = null;
            if (detached == null) {
                return Optional.empty();
            }
            closeQuietly(detached);
            return Optional.of(detached.environment());
        } finally {
            open.writeLock().unlock();
        }
    }

    /** Why operations fail while no environment is attached. */
    public void offline(Supplier<String> why) {
        offline = why;
    }

    /** Where commits acknowledged by a majority are reported: the time (System.nanoTime) each began. */
    public void onAcknowledged(LongConsumer listener) {
        acknowledged = listener;
    }

    /** Who is told when JE says the environment must be closed and opened again. */
    public void onRestartRequired(Consumer<RuntimeException> listener) {
        restartRequired = listener;
    }

    /** The replicated environment, if this master belongs to a group and has it open. */
    public Optional<ReplicatedEnvironment> replicated() {
        Handles now = handles;
        return now != null && now.environment() instanceof ReplicatedEnvironment replicated ? Optional.of(replicated)
                : Optional.empty();
    }

    com.sleepycat.je.Database keys() {
        return handles().keys();
    }

    com.sleepycat.je.Database cluster() {
        return handles().cluster();
    }

    private Handles handles() {
        Handles now = handles;
        if (now == null) {
            throw new StoreException(Reason.NOT_SERVING, offline.get());
        }
        return now;
    }

    /** Opens the generation sequence: on a master on its own at once, in a group when it leads. */
    public void openGenerations() {
        call(() -> {
            Handles now = handles();
            if (now.generations() == null) {
                handles = now.withGenerations(now.cluster().openSequence(null, new DatabaseEntry(bytes("generation")),
                        new SequenceConfig().setAllowCreate(true).setInitialValue(1).setCacheSize(1000)));
            }
            return null;
        });
    }

    /**
     * Closes the generation sequence when this master stops leading: a leader opens its own, which
     * continues above every value handed out before (JE skips the range a closed handle had cached).
     */
    public void closeGenerations() {
        call(() -> {
            Handles now = handles();
            if (now.generations() != null) {
                handles = now.withGenerations(null);
                try {
                    now.generations().close();
                } catch (RuntimeException e) {
                    LOG.fine(() -> "closing the generation sequence: " + e);
                }
            }
            return null;
        });
    }

    long nextGeneration() {
        return call(() -> generations().get(null, 1));
    }

    /** Makes every later {@link #nextGeneration()} greater than {@code used}. */
    void advanceGenerationsPast(long used) {
        call(() -> {
            Sequence generations = generations();
            long taken = generations.get(null, 1);
            while (taken < used) {
                int step = (int) Math.min(Integer.MAX_VALUE, used - taken);
                generations.get(null, step);
                taken += step;
            }
            return null;
        });
    }

    private Sequence generations() {
        Sequence generations = handles().generations();
        if (generations == null) {
            throw new StoreException(Reason.NO_LEADER, "this master does not lead its group; only the leader writes");
        }
        return generations;
    }

    /** Runs {@code work} while the environment is open; JE's failures become the store's. */
    <T> T call(Supplier<T> work) {
        if (!open.readLock().tryLock()) {
            throw new StoreException(Reason.NOT_SERVING, closed ? "the master is stopping" : offline.get());
        }
        try {
            if (closed) {
                throw new StoreException(Reason.NOT_SERVING, "the master is stopping");
            }
            return work.get();
        } catch (DatabaseException e) {
            throw translate(e);
        } finally {
            open.readLock().unlock();
        }
    }

    /** Runs {@code work} in a transaction, retried when it loses a lock conflict, aborted if it fails. */
    <T> T inTransaction(Function<Transaction, T> work) {
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                long start = System.nanoTime();
                Transaction txn = handles().environment().beginTransaction(null, null);
                try {
                    T result = work.apply(txn);
                    txn.commit();
                    acknowledged.accept(start);
                    return result;
                } catch (LockConflictException | Retry e) {
                    abort(txn);
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                } catch (RuntimeException | Error e) {
                    abort(txn);
                    throw e;
                }
            }
        });
    }

    /**
     * Commits a small change that needs the acknowledgement of a majority of the group and nothing
     * else: it shows that the others still follow this leader.
     */
    public void heartbeat() {
        call(() -> {
            long start = System.nanoTime();
            Handles now = handles();
            Transaction txn = now.environment().beginTransaction(null, HEARTBEATS);
            try {
                now.cluster().put(txn, new DatabaseEntry(HEARTBEAT), new DatabaseEntry(bytes(Long.toString(System.currentTimeMillis()))));
                txn.commit();
            } catch (RuntimeException e) {
                abort(txn);
                throw e;
            }
            acknowledged.accept(start);
            return null;
        });
    }

    private static void abort(Transaction txn) {
        if (txn.getState() == Transaction.State.OPEN) {
            try {
                txn.abort();
            } catch (RuntimeException e) {
                LOG.fine(() -> "aborting a transaction: " + e);
            }
        }
    }

    /** JE's failures of a group, in the store's words; the environment is reopened where JE says it must be. */
    private RuntimeException translate(DatabaseException e) {
        if (e instanceof InsufficientReplicasException) {
            return new StoreException(Reason.NO_QUORUM, "too few masters of the group answer to commit a change; nothing "
                    + "was changed (" + firstLine(e) + ")", e);
        }
        if (e instanceof InsufficientAcksException) {
            return new StoreException(Reason.COMMIT_UNCERTAIN, "this master wrote the change, but a majority of its group "
                    + "did not confirm it in time: it may or may not last; send the request again", e);
        }
        if (e instanceof RestartRequiredException) {
            restartRequired.accept(e);
            return new StoreException(Reason.NO_LEADER, "this master is rejoining its group (" + firstLine(e) + ")", e);
        }
        if (e instanceof ReplicaWriteException || e instanceof StateChangeException || e instanceof ReplicaConsistencyException
                || e instanceof LockPreemptedException) {
            return new StoreException(Reason.NO_LEADER, "this master no longer leads its group (" + firstLine(e) + ")", e);
        }
        if (e instanceof EnvironmentFailureException && replicated().isPresent()) {
            restartRequired.accept(e);
            return new StoreException(Reason.NO_LEADER, "this master's index failed and is being reopened (" + firstLine(e) + ")", e);
        }
        return e;
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^\\(JE [0-9.]+\\) ", "");
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @PreDestroy
    void close() {
        try {
            if (!open.writeLock().tryLock(30, TimeUnit.SECONDS)) {
                LOG.warning("closing the index while operations are still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closed) {
            return;
        }
        closed = true;
        Handles last = handles;
        handles = null;
        if (last != null) {
            closeQuietly(last);
            if (last.environment() instanceof ReplicatedEnvironment) {
                return; // the group's thread closes it, once it no longer follows the group
            }
            try {
                last.environment().close();
            } catch (RuntimeException e) {
                LOG.warning(() -> "closing the index: " + e);
            }
            LOG.info("index closed");
        }
    }

    /** Whether the master is stopping: the index is closed for good. */
    public boolean closed() {
        return closed;
    }

    private static void closeQuietly(Handles handles) {
        for (AutoCloseable handle : new AutoCloseable[] {handles.generations(), handles.keys(), handles.cluster()}) {
            if (handle != null) {
                try {
                    handle.close();
                } catch (Exception e) {
                    LOG.fine(() -> "closing " + handle + ": " + e);
                }
            }
        }
    }

    /** Thrown inside a transaction that lost a race it can detect, to run it again. */
    static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retry() {
            super("a concurrent transaction changed what this one read", null, false, false);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
