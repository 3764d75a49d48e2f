package org.manifoldlab.cli.data;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * Writes a response body into a {@code .part} file as it arrives, one buffer list at a time, so an
 * interrupted transfer leaves every byte received on disk. {@link #abort} stops it for good: once
 * abort returns, no further byte reaches the file, so a retry may take the file over.
 */
final class PartWriter implements HttpResponse.BodySubscriber<Void> {

    private final FileChannel channel;
    private final long start;
    private final LongConsumer onDisk;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private boolean stopped;
    private volatile long written;

    /** Writes at the channel's position; {@code start} is the part's length before this transfer. */
    PartWriter(FileChannel channel, long start, LongConsumer onDisk) {
        this.channel = channel;
        this.start = start;
        this.onDisk = onDisk;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        if (stopped) {
            s.cancel();
            return;
        }
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        written += channel.write(b);
                    }
                }
            } catch (IOException e) {
                stop(e);
                return;
            }
            subscription.request(1);
        }
        onDisk.accept(start + written);
    }

    @Override
    public synchronized void onError(Throwable t) {
        stopped = true;
        done.completeExceptionally(t);
    }

    @Override
    public synchronized void onComplete() {
        stopped = true;
        done.complete(null);
    }

    @Override
    public CompletionStage<Void> getBody() {
        return done;
    }

    /** Bytes written by this transfer. */
    long written() {
        return written;
    }

    /** Cancels the transfer; waits for a write in progress, after which nothing more is written. */
    synchronized void abort(IOException why) {
        stop(why);
    }

    private void stop(IOException why) {
        stopped = true;
        if (subscription != null) {
            subscription.cancel();
        }
        done.completeExceptionally(why);
    }
}
