package io.tdkvs.master.meta.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;

import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.keys.entity.MetaKey;

/** The metakeys: for every key, where its value lives. */
@Singleton
public class MetaStore {

    private static final int SCAN_PAGE = 1000;
    /** The most keys one transaction of a long batched change takes. */
    public static final int WRITE_BATCH = 1000;

    private Database database;


    @Inject
    public MetaStore(Database database) {
        this.database = database;
    }

    public Optional<MetaKey> get(Key key) {
        return database.call(() -> read(null, key, LockMode.READ_COMMITTED));
    }

    /**
     * Records where a key's value now lives; answers where it lived before, if anywhere. A read
     * finds nothing to lock when the key is absent, so a new key is inserted with putNoOverwrite:
     * of two first writes racing, the second waits for the first and then runs again as a replace.
     */
    public Optional<MetaKey> put(Key key, MetaKey meta) {
        return database.inTransaction(txn -> {
            Optional<MetaKey> previous = read(txn, key, LockMode.RMW);
            if (previous.isPresent()) {
                database.keys().put(txn, entry(key), MetaKeyFormat.write(meta));
            } else if (database.keys().putNoOverwrite(txn, entry(key), MetaKeyFormat.write(meta)) == OperationStatus.KEYEXIST) {
                throw new Database.Retry();
            }
            return previous;
        });
    }

    /** Forgets a key; answers where its value lived, or empty if it did not exist. */
    public Optional<MetaKey> remove(Key key) {
        return database.inTransaction(txn -> {
            Optional<MetaKey> previous = read(txn, key, LockMode.RMW);
            previous.ifPresent(meta -> database.keys().delete(txn, entry(key)));
            return previous;
        });
    }

    /**
     * Replaces metakeys, each only if it is still what the swap expects: a move loses to any write
     * that raced it. One transaction for them all, so a batch of moves costs one commit. Answers,
     * in order, which replacements were made.
     */
    public boolean[] replaceAllIf(List<Swap> swaps) {
        return database.inTransaction(txn -> {
            boolean[] replaced = new boolean[swaps.size()];
            for (int i = 0; i < swaps.size(); i++) {
                Swap swap = swaps.get(i);
                if (read(txn, swap.key(), LockMode.RMW).filter(swap.expected()::equals).isPresent()) {
                    database.keys().put(txn, entry(swap.key()), MetaKeyFormat.write(swap.replacement()));
                    replaced[i] = true;
                }
            }
            return replaced;
        });
    }

    /**
     * Forgets keys, each only if its metakey is still the one given; one transaction per
     * {@value #WRITE_BATCH} keys. Answers how many it forgot.
     */
    public int removeAllIf(List<Entry> entries) {
        int removed = 0;
        for (int from = 0; from < entries.size(); from += WRITE_BATCH) {
            List<Entry> batch = entries.subList(from, Math.min(entries.size(), from + WRITE_BATCH));
            removed += database.inTransaction(txn -> {
                int inBatch = 0;
                for (Entry entry : batch) {
                    if (read(txn, entry.key(), LockMode.RMW).filter(entry.meta()::equals).isPresent()) {
                        database.keys().delete(txn, entry(entry.key()));
                        inBatch++;
                    }
                }
                return inBatch;
            });
        }
        return removed;
    }

    /**
     * Records each found copy (of a rebuild): of all the blobs of a key, the newest generation wins, and its
     * copies (same generation, size and CRC32C) on other volumes join its holders, the attributes (the
     * time) of the earliest written kept. One transaction for the batch. Answers how many copies it recorded.
     */
    public int putNewest(List<Entry> found) {
        return database.inTransaction(txn -> {
            int recorded = 0;
            for (Entry entry : found) {
                Optional<MetaKey> current = read(txn, entry.key(), LockMode.RMW);
                MetaKey copy = entry.meta();
                Optional<MetaKey> next = Optional.empty();
                if (current.isEmpty() || current.get().generation() < copy.generation()) {
                    next = Optional.of(copy);
                } else if (sameValue(current.get(), copy) && !copy.holders().stream().allMatch(current.get()::heldBy)) {
                    List<Integer> holders = new ArrayList<>(current.get().holders());
                    copy.holders().stream().filter(id -> !holders.contains(id)).forEach(holders::add);
                    next = Optional.of(earlier(current.get(), copy).heldBy(holders));
                }
                if (next.isPresent()) {
                    database.keys().put(txn, entry(entry.key()), MetaKeyFormat.write(next.get()));
                    recorded++;
                }
            }
            return recorded;
        });
    }

    /**
     * Of two copies of one value found, the attributes of the one whose file was written first (a copy
     * that a migration moved or a repair made has a later time than the write), on {@code current}'s holders.
     */
    private static MetaKey earlier(MetaKey current, MetaKey found) {
        long now = current.attributes().modified();
        long other = found.attributes().modified();
        return other > 0 && (now == 0 || other < now)
                ? new MetaKey(current.holders(), current.generation(), current.size(), current.crc32c(), found.attributes())
                : current;
    }

    private static boolean sameValue(MetaKey a, MetaKey b) {
        return a.generation() == b.generation() && a.size() == b.size() && a.crc32c() == b.crc32c();
    }

    /** Makes every later generation greater than {@code used}, the newest found in a rebuild. */
    public void advanceGenerationsPast(long used) {
        database.advanceGenerationsPast(used);
    }

    /** A generation no earlier write has used: every write of a value gets a blob of its own. */
    public long nextGeneration() {
        return database.nextGeneration();
    }

    public long count() {
        return database.call(() -> database.keys().count());
    }

    /** How many metakeys pass {@code test}, read a page at a time. */
    public long count(Predicate<Entry> test) {
        long[] matching = {0};
        forEach(entry -> matching[0] += test.test(entry) ? 1 : 0);
        return matching[0];
    }

    /** Every metakey in key order, read a page at a time (each page in a transaction of its own). */
    public void forEach(Consumer<Entry> each) {
        for (List<Entry> page = scan(Optional.empty(), SCAN_PAGE); !page.isEmpty();
                page = scan(Optional.of(page.get(page.size() - 1).key()), SCAN_PAGE)) {
            page.forEach(each);
        }
    }

    /** Up to {@code limit} metakeys in key order, starting after {@code after} (or at the first). */
    public List<Entry> scan(Optional<Key> after, int limit) {
        return database.call(() -> {
            List<Entry> batch = new ArrayList<>(limit);
            try (Cursor cursor = database.keys().openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = after.map(MetaStore::entry).orElseGet(DatabaseEntry::new);
                DatabaseEntry data = new DatabaseEntry();
                OperationStatus status = after.isPresent()
                        ? cursor.getSearchKeyRange(key, data, null)
                        : cursor.getFirst(key, data, null);
                if (status == OperationStatus.SUCCESS && after.isPresent()
                        && Arrays.equals(key.getData(), after.get().utf8())) {
                    status = cursor.getNext(key, data, null);
                }
                while (status == OperationStatus.SUCCESS && batch.size() < limit) {
                    batch.add(new Entry(Key.fromUtf8(key.getData()), MetaKeyFormat.read(data)));
                    status = cursor.getNext(key, data, null);
                }
            }
            return batch;
        });
    }

    /**
     * Up to {@code limit} keys that start with {@code prefix} (UTF-8 bytes), in order, after {@code after}
     * if given. Only the keys are read, not the metakeys.
     */
    public List<Key> keys(byte[] prefix, Optional<Key> after, int limit) {
        return database.call(() -> {
            List<Key> page = new ArrayList<>(Math.min(limit, SCAN_PAGE));
            byte[] start = after.map(Key::utf8).filter(key -> Arrays.compareUnsigned(key, prefix) > 0).orElse(prefix);
            try (Cursor cursor = database.keys().openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = new DatabaseEntry(start);
                DatabaseEntry data = new DatabaseEntry();
                data.setPartial(0, 0, true);
                OperationStatus status = cursor.getSearchKeyRange(key, data, null);
                if (status == OperationStatus.SUCCESS && after.isPresent() && Arrays.equals(key.getData(), after.get().utf8())) {
                    status = cursor.getNext(key, data, null);
                }
                while (status == OperationStatus.SUCCESS && page.size() < limit && startsWith(key.getData(), prefix)) {
                    page.add(Key.fromUtf8(key.getData()));
                    status = cursor.getNext(key, data, null);
                }
            }
            return page;
        });
    }

    /**
     * Up to {@code limit} keys with their metakeys that start with {@code prefix} (UTF-8 bytes), in order,
     * from the first at or after {@code from} (bytes, which need not be a key: a listing skips past a
     * common prefix by its bytes and 0xFF, which no UTF-8 text holds).
     */
    public List<Entry> entries(byte[] prefix, byte[] from, int limit) {
        return database.call(() -> {
            List<Entry> page = new ArrayList<>(Math.min(limit, SCAN_PAGE));
            byte[] start = Arrays.compareUnsigned(from, prefix) > 0 ? from : prefix;
            try (Cursor cursor = database.keys().openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = new DatabaseEntry(start);
                DatabaseEntry data = new DatabaseEntry();
                for (OperationStatus status = cursor.getSearchKeyRange(key, data, null);
                     status == OperationStatus.SUCCESS && page.size() < limit && startsWith(key.getData(), prefix);
                     status = cursor.getNext(key, data, null)) {
                    page.add(new Entry(Key.fromUtf8(key.getData()), MetaKeyFormat.read(data)));
                }
            }
            return page;
        });
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private Optional<MetaKey> read(Transaction txn, Key key, LockMode mode) {
        DatabaseEntry data = new DatabaseEntry();
        if (database.keys().get(txn, entry(key), data, mode) != OperationStatus.SUCCESS) {
            return Optional.empty();
        }
        return Optional.of(MetaKeyFormat.read(data));
    }

    private static DatabaseEntry entry(Key key) {
        return new DatabaseEntry(key.utf8());
    }

    /** Replace the metakey of {@code key} by {@code replacement} if it is still {@code expected}. */
    public record Swap(Key key, MetaKey expected, MetaKey replacement) {
    }

    /** A key and its metakey. */
    public record Entry(Key key, MetaKey meta) {
    }
}
