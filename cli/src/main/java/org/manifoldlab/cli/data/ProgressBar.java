package org.manifoldlab.cli.data;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A download progress bar on stderr. On a terminal one line is redrawn in place (at most ten times
 * a second); elsewhere (logs, CI) a line is printed at every quarter, so logs stay short.
 * <pre>  train-images-idx3-ubyte.gz [#########-----------]  45%  11.9 / 26.4 MB  3.2 MB/s</pre>
 */
final class ProgressBar implements Fetcher.Listener {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoTime;
    private String file;
    private long from;
    private long total = -1;
    private long onDisk;
    private long startNanos;
    private long lastDraw;
    private int lastQuarter;
    private boolean open;

    ProgressBar(PrintWriter out, boolean interactive) {
        this(out, interactive, System::nanoTime);
    }

    ProgressBar(PrintWriter out, boolean interactive, LongSupplier nanoTime) {
        this.out = out;
        this.interactive = interactive;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void started(String name, long resumedFrom, long totalBytes) {
        if (resumedFrom > 0) {
            line(String.format(Locale.ROOT, "  %s: resuming at byte %d", name, resumedFrom));
        }
        file = name;
        from = resumedFrom;
        onDisk = resumedFrom;
        total = totalBytes;
        startNanos = nanoTime.getAsLong();
        lastDraw = startNanos - REDRAW_NANOS;
        lastQuarter = quarter(resumedFrom);
        open = true;
        draw(true);
    }

    @Override
    public synchronized void progress(long bytes) {
        onDisk = bytes;
        draw(false);
    }

    @Override
    public synchronized void ended() {
        if (open) {
            draw(true);
            if (interactive) {
                out.println();
                out.flush();
            }
            open = false;
        }
    }

    @Override
    public synchronized void note(String message) {
        line("  " + message);
    }

    /** The bar as text, without the carriage return. */
    synchronized String render() {
        StringBuilder s = new StringBuilder("  ").append(file);
        double seconds = Math.max(1e-9, (nanoTime.getAsLong() - startNanos) / 1e9);
        String rate = String.format(Locale.ROOT, "%.1f MB/s", (onDisk - from) / seconds / 1e6);
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * onDisk / total);
            s.append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %s / %s", 100 * onDisk / total,
                            number(onDisk), megabytes(total)));
        } else {
            s.append("  ").append(megabytes(onDisk));
        }
        return s.append("  ").append(rate).toString();
    }

    private void draw(boolean force) {
        long now = nanoTime.getAsLong();
        if (interactive) {
            if (force || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                out.print("\r" + render() + "\u001b[K");
                out.flush();
            }
        } else {
            int q = quarter(onDisk);
            if (q > lastQuarter || (force && total <= 0)) {
                lastQuarter = q;
                out.println(render());
                out.flush();
            }
        }
    }

    /** Completed quarters (0..4), or 0 when the total is unknown. */
    private int quarter(long bytes) {
        return total > 0 ? (int) Math.min(4, 4 * bytes / total) : 0;
    }

    private void line(String text) {
        if (open && interactive) {
            out.print("\r\u001b[K");
        }
        out.println(text);
        out.flush();
        if (open && interactive) {
            draw(true);
        }
    }

    private static String number(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static String megabytes(long bytes) {
        return number(bytes) + " MB";
    }
}
