package io.tdkvs.master.group.control;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tdkvs.master.group.entity.Role;
import io.tdkvs.master.meta.control.Database;

/**
 * Keeps the leader's lease while nothing else is written: every {@link GroupTimings#HEARTBEAT} without
 * an acknowledged commit, the leader commits a heartbeat that a majority must acknowledge. A leader
 * that the others no longer follow gets no acknowledgement, and its lease runs out.
 */
@Singleton
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    @Inject
    Leadership leadership;

    @Inject
    Database database;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> task;
    private volatile String lastProblem = "";

    public synchronized void start() {
        if (task == null) {
            long period = GroupTimings.HEARTBEAT.toMillis();
            task = scheduler.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        Role role = leadership.view().role();
        if (role != Role.LEADER && role != Role.TAKING_OVER || !database.attached()) {
            return;
        }
        if (leadership.leaseLeft().compareTo(Leadership.LEASE.minus(GroupTimings.HEARTBEAT)) > 0) {
            return;
        }
        try {
            database.heartbeat();
            lastProblem = "";
        } catch (RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(lastProblem)) {
                LOG.warning(() -> "the leader's heartbeat was not acknowledged by a majority: " + problem);
            }
            lastProblem = problem;
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
