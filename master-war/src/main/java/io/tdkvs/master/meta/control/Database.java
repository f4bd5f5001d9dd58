package io.tdkvs.master.meta.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.Sequence;
import com.sleepycat.je.SequenceConfig;
import com.sleepycat.je.Transaction;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;

/**
 * The JE environment under {@code <data>/je}: the {@code keys} database (metakeys), the
 * {@code cluster} database (topology and the generation sequence). Commits are durable (fsync).
 * Closing waits for the operations in flight, and later operations fail cleanly, whatever order
 * the container stops things in.
 */
@Singleton
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final int ATTEMPTS = 10;

    private Environment environment;
    private com.sleepycat.je.Database keys;
    private com.sleepycat.je.Database cluster;
    private Sequence generations;
    private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
    private volatile boolean closed;


    @Inject
    Database(MasterConfig config) {
        this(config.data().resolve("je"));
    }

    public Database(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index directory " + directory, e);
        }
        EnvironmentConfig config = new EnvironmentConfig()
                .setAllowCreate(true)
                .setTransactional(true)
                .setLockTimeout(5, TimeUnit.SECONDS)
                .setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
        config.setDurability(Durability.COMMIT_SYNC);
        config.setCachePercent(40);
        environment = new Environment(directory.toFile(), config);
        DatabaseConfig databases = new DatabaseConfig().setAllowCreate(true).setTransactional(true);
        keys = environment.openDatabase(null, "keys", databases);
        cluster = environment.openDatabase(null, "cluster", databases);
        generations = cluster.openSequence(null, new com.sleepycat.je.DatabaseEntry(bytes("generation")),
                new SequenceConfig().setAllowCreate(true).setInitialValue(1).setCacheSize(1000));
        LOG.info(() -> "index opened at " + directory + " with " + keys.count() + " keys");
    }

    com.sleepycat.je.Database keys() {
        return keys;
    }

    com.sleepycat.je.Database cluster() {
        return cluster;
    }

    long nextGeneration() {
        return call(() -> generations.get(null, 1));
    }

    /** Makes every later {@link #nextGeneration()} greater than {@code used}. */
    void advanceGenerationsPast(long used) {
        call(() -> {
            long taken = generations.get(null, 1);
            while (taken < used) {
                int step = (int) Math.min(Integer.MAX_VALUE, used - taken);
                generations.get(null, step);
                taken += step;
            }
            return null;
        });
    }

    /** Runs {@code work} while the environment is open. */
    <T> T call(Supplier<T> work) {
        if (!open.readLock().tryLock()) {
            throw stopping();
        }
        try {
            if (closed) {
                throw stopping();
            }
            return work.get();
        } finally {
            open.readLock().unlock();
        }
    }

    /** Runs {@code work} in a transaction, retried when it loses a lock conflict, aborted if it fails. */
    <T> T inTransaction(Function<Transaction, T> work) {
        return call(() -> {
            for (int attempt = 1; ; attempt++) {
                Transaction txn = environment.beginTransaction(null, null);
                try {
                    T result = work.apply(txn);
                    txn.commit();
                    return result;
                } catch (LockConflictException | Retry e) {
                    txn.abort();
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                } catch (RuntimeException | Error e) {
                    txn.abort();
                    throw e;
                }
            }
        });
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
        generations.close();
        keys.close();
        cluster.close();
        environment.close();
        LOG.info("index closed");
    }

    /** Thrown inside a transaction that lost a race it can detect, to run it again. */
    static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retry() {
            super("a concurrent transaction changed what this one read", null, false, false);
        }
    }

    private static StoreException stopping() {
        return new StoreException(Reason.NOT_SERVING, "the master is stopping");
    }

    static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
