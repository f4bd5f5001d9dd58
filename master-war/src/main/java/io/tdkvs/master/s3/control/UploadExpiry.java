package io.tdkvs.master.s3.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;

import io.tdkvs.config.MasterConfig;
import io.tdkvs.master.errors.Reason;
import io.tdkvs.master.errors.StoreException;
import io.tdkvs.master.keys.control.ValueStore;
import io.tdkvs.master.keys.entity.Key;
import io.tdkvs.master.meta.control.MetaStore;
import io.tdkvs.master.meta.control.UploadStore;
import io.tdkvs.master.s3.entity.Upload;

/**
 * Removes the multipart uploads left incomplete for longer than {@code s3UploadExpiryHours}, and parts
 * whose upload is gone (an index rebuilt from the volumes has parts but no upload records), every ten
 * minutes, and when an operator asks ({@code POST /admin/uploads/expire}). Only a master that may write
 * does it; on the others the scheduled attempt fails and waits for the next.
 */
@ApplicationScoped
public class UploadExpiry {

    private static final Logger LOG = Logger.getLogger(UploadExpiry.class.getName());
    private static final long PERIOD_MINUTES = 10;
    private static final int PAGE = 1000;

    @Inject
    MasterConfig config;

    @Inject
    UploadStore uploads;

    @Inject
    S3Uploads s3Uploads;

    @Inject
    MetaStore metaKeys;

    @Inject
    ValueStore values;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> task;

    void start(@Observes Startup startup) {
        config.s3().ifPresent(s3 -> task = scheduler.scheduleWithFixedDelay(() -> expireOnSchedule(s3.uploadExpiry()), PERIOD_MINUTES,
                PERIOD_MINUTES, TimeUnit.MINUTES));
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void expireOnSchedule(Duration expiry) {
        try {
            expire(expiry);
        } catch (StoreException e) {
            if (e.reason() != Reason.NOT_SERVING && e.reason() != Reason.NO_LEADER) {
                LOG.log(Level.WARNING, "expiring multipart uploads failed; trying again in " + PERIOD_MINUTES + " minutes", e);
            }
        }
    }

    /**
     * Removes the uploads begun more than {@code expiry} ago and the stray parts written before then;
     * answers how many uploads and stray parts went.
     *
     * @throws StoreException if the index or a volume failed on the way (what was removed stays removed)
     */
    public int expire(Duration expiry) {
        // in whole milliseconds, as a part's time is kept: a part written in the same millisecond, by an upload
        // begun after the uploads were read, is not older than the limit
        Instant limit = Instant.now().minus(expiry).truncatedTo(ChronoUnit.MILLIS);
        int removed = 0;
        Set<String> live = new HashSet<>();
        for (Upload upload : uploads.all()) {
            if (upload.started().isBefore(limit)) {
                s3Uploads.forget(upload);
                removed++;
                LOG.info(() -> "removed multipart upload " + upload.id() + " of /" + upload.bucket() + "/" + upload.key()
                        + ", begun " + upload.started() + " and not completed within " + describe(expiry));
            } else {
                live.add(upload.id());
            }
        }
        return removed + strayParts(live, limit);
    }

    private static String describe(Duration expiry) {
        return expiry.toSeconds() > 0 && expiry.toSeconds() % 3600 == 0 ? expiry.toHours() + " h" : expiry.toSeconds() + " s";
    }

    /** Parts of uploads that no longer exist, written before {@code limit}. */
    private int strayParts(Set<String> live, Instant limit) {
        String prefix = Key.UPLOAD_PARTS;
        byte[] under = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] from = under;
        int removed = 0;
        for (List<MetaStore.Entry> page; !(page = metaKeys.entries(under, from, PAGE)).isEmpty(); ) {
            for (MetaStore.Entry entry : page) {
                String rest = entry.key().value().substring(prefix.length());
                String id = rest.substring(0, Math.max(0, rest.indexOf('/')));
                if (!live.contains(id) && Instant.ofEpochMilli(entry.meta().attributes().modified()).isBefore(limit)) {
                    if (values.deleteIfPresent(entry.key())) {
                        removed++;
                    }
                }
            }
            byte[] last = page.get(page.size() - 1).key().utf8();
            from = java.util.Arrays.copyOf(last, last.length + 1);
        }
        return removed;
    }
}
