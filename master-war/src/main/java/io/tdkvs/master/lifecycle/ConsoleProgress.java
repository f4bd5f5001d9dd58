package io.tdkvs.master.lifecycle;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

import io.tdkvs.master.migration.entity.MigrationState;
import io.tdkvs.master.migration.entity.MigrationStatus;

/**
 * A progress bar for {@code -delete} when it runs on a terminal, redrawn in place four times a
 * second. Without a terminal (output to a file or a pipe) it draws nothing: the log has the progress.
 */
final class ConsoleProgress {

    private static final int BAR = 30;
    private static final long REDRAW_MILLIS = 250;

    private final PrintWriter out;
    private final Thread ticker;
    private volatile boolean stopped;

    private ConsoleProgress(PrintWriter out, Supplier<MigrationStatus> status) {
        this.out = out;
        this.ticker = out == null ? null : new Thread(() -> {
            while (!stopped) {
                draw(render(status.get()));
                try {
                    Thread.sleep(REDRAW_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tdkvs-progress-bar");
    }

    static ConsoleProgress start(Supplier<MigrationStatus> status) {
        Console console = System.console();
        ConsoleProgress progress = new ConsoleProgress(console == null ? null : console.writer(), status);
        if (progress.ticker != null) {
            progress.ticker.setDaemon(true);
            progress.ticker.start();
        }
        return progress;
    }

    /** Stops redrawing; the bar stays as last drawn. */
    void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the bar's line and prints a line of text on the terminal, if there is one. */
    void println(String line) {
        if (out != null) {
            out.print("\n" + line + "\n");
            out.flush();
        }
    }

    private synchronized void draw(String line) {
        out.print("\r" + line + "\u001b[K");
        out.flush();
    }

    /** {@code [#########---------------------]  30%  1,500/5,000 keys  1,200 keys/s  ETA 3 s} */
    static String render(MigrationStatus status) {
        if (status.state() == MigrationState.RUNNING && status.total() == 0 && status.moved() == 0) {
            return "counting the keys to move ...";
        }
        long total = Math.max(status.total(), status.moved());
        int percent = total == 0 ? 0 : (int) (100 * status.moved() / total);
        int filled = BAR * percent / 100;
        String state = switch (status.state()) {
            case RUNNING -> status.etaSeconds() == null ? "ETA unknown" : "ETA " + status.etaSeconds() + " s";
            case PAUSED -> "paused: " + status.message();
            default -> status.state().name().toLowerCase(Locale.ROOT);
        };
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d/%,d keys  %,.0f keys/s  %s", "#".repeat(filled),
                "-".repeat(BAR - filled), percent, status.moved(), total, status.keysPerSecond(), state);
    }
}
