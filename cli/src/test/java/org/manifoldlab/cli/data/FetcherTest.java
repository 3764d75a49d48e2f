package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.core.data.DataSources;

/** {@link Fetcher} on its own, without picocli. */
class FetcherTest {

    @TempDir
    Path tmp;

    static String md5(byte[] bytes) {
        try {
            return ExpectedFile.hex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] content(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    @Test
    void fetchesAndReportsProgressWithoutPicocli() throws IOException {
        byte[] bytes = content(200_000);
        List<String> events = new CopyOnWriteArrayList<>();
        long[] last = {-1};
        Fetcher.Listener listener = new Fetcher.Listener() {
            @Override
            public void started(String file, long from, long total) {
                events.add("started " + file + " " + from + " " + total);
            }

            @Override
            public void progress(long onDisk) {
                assertTrue(onDisk > last[0], "progress only grows");
                last[0] = onDisk;
            }

            @Override
            public void ended() {
                events.add("ended");
            }
        };
        try (LoopbackServer server = new LoopbackServer().put("blob.bin", bytes)) {
            Fetcher fetcher = new Fetcher(Fetcher.defaultClient(Duration.ofSeconds(5)), listener, 1,
                    Duration.ofSeconds(5), Duration.ZERO);
            Fetcher.Result r = fetcher.fetch(server.base().resolve("blob.bin"),
                    ExpectedFile.sha256("blob.bin", -1, DataSources.sha256(bytes)), tmp);
            assertEquals(tmp.resolve("blob.bin"), r.file());
            assertEquals(200_000, r.bytes());
            assertEquals(DataSources.sha256(bytes), r.sha256());
            assertFalse(r.alreadyPresent());
            assertArrayEquals(bytes, Files.readAllBytes(r.file()));
            assertEquals(List.of("started blob.bin 0 200000", "ended"), events);
            assertEquals(200_000, last[0]);
        }
    }

    @Test
    void aSlowButSteadyTransferOutlastingTheStallTimeoutIsNotAborted() throws IOException {
        byte[] bytes = content(50_000);
        try (LoopbackServer server = new LoopbackServer().put("blob.bin", bytes)) {
            server.slow("blob.bin", 5_000, 100); // about 1 s in all, never 300 ms without data
            Fetcher fetcher = new Fetcher(Fetcher.defaultClient(Duration.ofSeconds(5)), new Fetcher.Listener() { }, 1,
                    Duration.ofMillis(300), Duration.ZERO);
            Fetcher.Result r = fetcher.fetch(server.base().resolve("blob.bin"),
                    ExpectedFile.md5("blob.bin", bytes.length, md5(bytes)), tmp);
            assertArrayEquals(bytes, Files.readAllBytes(r.file()));
            assertEquals(1, server.requests.size());
        }
    }

    @Test
    void aSecondFetchOfTheSameFileIsRefusedWhileTheFirstWrites() throws Exception {
        byte[] bytes = content(100_000);
        ExpectedFile expected = ExpectedFile.sha256("blob.bin", bytes.length, DataSources.sha256(bytes));
        CountDownLatch halfway = new CountDownLatch(1);
        Fetcher.Listener watcher = new Fetcher.Listener() {
            @Override
            public void progress(long onDisk) {
                if (onDisk >= 10_000) {
                    halfway.countDown();
                }
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (LoopbackServer server = new LoopbackServer().put("blob.bin", bytes)) {
            server.stallAfter("blob.bin", 10_000);
            Fetcher first = new Fetcher(Fetcher.defaultClient(Duration.ofSeconds(5)), watcher, 1,
                    Duration.ofSeconds(10), Duration.ZERO);
            Future<Fetcher.Result> running = pool.submit(() -> first.fetch(server.base().resolve("blob.bin"), expected, tmp));
            assertTrue(halfway.await(10, TimeUnit.SECONDS), "the first fetch receives its first 10000 bytes");

            Fetcher second = new Fetcher(Fetcher.defaultClient(Duration.ofSeconds(5)), new Fetcher.Listener() { }, 1,
                    Duration.ofSeconds(5), Duration.ZERO);
            IOException refused = assertThrows(IOException.class,
                    () -> second.fetch(server.base().resolve("blob.bin"), expected, tmp));
            assertEquals(tmp.resolve("blob.bin.part") + " is being written by another fetch; wait for it to finish",
                    refused.getMessage());

            server.close(); // the first fetch's connection ends
            ExecutionException failed = assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("the 10000 bytes received are kept in"),
                    failed.getCause().getMessage());
            assertArrayEquals(Arrays.copyOf(bytes, 10_000), Files.readAllBytes(tmp.resolve("blob.bin.part")));
            assertEquals(1, server.rangesRequested("blob.bin").size(), "the refused fetch sent no request");
        } finally {
            pool.shutdownNow();
        }
    }
}
