package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.pipeline.Pipeline;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a run's progress: a bar with rate and time left on a terminal, or a log line
 * every few seconds (and one per quarantined file, with its reason code) otherwise.
 * Never shows a file name. Thread-safe.
 */
final class Progress implements Pipeline.Listener, AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        /** A redrawn bar on a terminal. */
        BAR,
        /** Plain log lines. */
        LINES,
        /** Nothing but the summary. */
        NONE
    }

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final Mode mode;
    private final long start = System.nanoTime();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong doneBytes = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService ticker;

    Progress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
        if (mode == Mode.NONE) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anonymiser-progress");
            t.setDaemon(true);
            return t;
        });
        long period = mode == Mode.BAR ? 250 : 5_000;
        ticker.scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void passStarted(int files, long bytes) {
        // In a watch, passes overlap what is counted already: track what is still to do.
        long waiting = total.get() - done.get();
        if (files > waiting) {
            total.addAndGet(files - waiting);
            totalBytes.addAndGet(Math.max(0, bytes - (totalBytes.get() - doneBytes.get())));
        }
        if (mode == Mode.LINES) {
            line(files + " files waiting (" + mb(bytes) + ")");
        }
    }

    @Override
    public void finished(Pipeline.FileResult result) {
        done.incrementAndGet();
        doneBytes.addAndGet(result.bytes());
        if (result.kind() == Pipeline.Kind.QUARANTINED) {
            quarantined.incrementAndGet();
            if (mode == Mode.LINES) {
                line("quarantined: " + result.bucket().folder() + "/ " + result.code()
                        + (result.provider() == null ? "" : " (" + result.provider() + ")"));
            }
        }
    }

    @Override
    public void failure(String message) {
        if (mode == Mode.BAR) {
            synchronized (err) {
                err.print("\r\033[K");
                err.println("error: " + message);
                err.flush();
            }
        } else {
            line("error: " + message);
        }
    }

    private void show() {
        long t = total.get();
        long d = Math.min(done.get(), t);
        if (t == 0) {
            return;
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        double rate = d / seconds;
        double mbRate = doneBytes.get() / 1e6 / seconds;
        String eta = eta(t, d, seconds);
        String stats = String.format(Locale.ROOT, "%d/%d files  %.1f files/s  %.1f MB/s  %d quarantined  ETA %s",
                d, t, rate, mbRate, quarantined.get(), eta);
        if (mode == Mode.BAR) {
            int filled = (int) (WIDTH * d / t);
            String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
            synchronized (err) {
                err.print("\r\033[K[" + bar + "] " + stats);
                err.flush();
            }
        } else if (d < t) {
            line(stats);
        }
    }

    private String eta(long t, long d, double seconds) {
        long tb = totalBytes.get();
        long db = doneBytes.get();
        double fraction = tb > 0 ? (double) db / tb : (double) d / t;
        if (fraction <= 0) {
            return "--:--";
        }
        long left = Math.round(seconds * (1 - fraction) / fraction);
        return String.format(Locale.ROOT, "%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60);
    }

    private void line(String message) {
        synchronized (err) {
            err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
            err.flush();
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Stops the ticker and draws the last state. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || ticker == null) {
            return;
        }
        ticker.shutdownNow();
        show();
        if (mode == Mode.BAR && total.get() > 0) {
            synchronized (err) {
                err.println();
                err.flush();
            }
        }
    }
}
