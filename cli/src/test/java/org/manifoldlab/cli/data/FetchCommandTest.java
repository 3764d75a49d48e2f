package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.manifoldlab.core.data.DataSources;

/** {@code lab data fetch} against a loopback server holding small generated IDX files. */
class FetchCommandTest {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final Duration STALL = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    Path dir;
    Map<String, byte[]> files;
    LoopbackServer server;

    @BeforeEach
    void serve() throws IOException {
        files = TestIdx.ownSplit(new int[] {40, 25, 35}, new int[] {10, 12, 8}, 28, 28, tmp.resolve("scratch"));
        server = new LoopbackServer().putAll(files);
        dir = tmp.resolve("fetched");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The digest table of the served files: SHA-256 for images, MD5 for labels (both algorithms in use). */
    static Map<String, KnownDataSets.DataSet> table(Map<String, byte[]> files) {
        List<ExpectedFile> expected = new ArrayList<>();
        files.forEach((name, bytes) -> expected.add(name.contains("images")
                ? ExpectedFile.sha256(name, bytes.length, DataSources.sha256(bytes))
                : ExpectedFile.md5(name, bytes.length, FetcherTest.md5(bytes))));
        return Map.of("tiny", new KnownDataSets.DataSet("tiny", URI.create("http://127.0.0.1:9/"), expected));
    }

    private Cli.Run fetch(Duration stall, String... more) {
        List<String> args = new ArrayList<>(List.of("fetch", "tiny", "--from", server.base().toString(), "--to", dir.toString()));
        args.addAll(Arrays.asList(more));
        return Cli.data(table(files), stall, args.toArray(String[]::new));
    }

    private void assertAllFetched() throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
            assertFalse(Files.exists(dir.resolve(e.getKey() + ".part")), e.getKey() + ".part is left");
        }
    }

    @Test
    void fetchesVerifiesAndRenamesEveryFileAndWritesProvenance() throws IOException {
        Cli.Run run = fetch(STALL);
        assertEquals(0, run.exit(), run.toString());
        assertAllFetched();
        assertEquals(4, server.requests.size());
        assertTrue(server.requests.stream().allMatch(r -> r.range() == null), server.requests.toString());
        assertTrue(run.out().contains(TRAIN_IMAGES) && run.out().contains("sha256 verified"), run.out());
        assertTrue(run.out().contains("md5 verified"), run.out());
        assertTrue(run.out().contains("train 100, test 30 images of 28x28 pixels; labels 0..2"), run.out());
        assertTrue(run.out().contains("use it as data source idx:" + dir), run.out());
        Map<String, String> recorded = Provenance.checksums(dir);
        assertEquals(files.keySet(), recorded.keySet());
        files.forEach((name, bytes) -> assertEquals(DataSources.sha256(bytes), recorded.get(name), name));
        String provenance = Files.readString(dir.resolve("PROVENANCE"));
        assertTrue(provenance.startsWith("Source:     " + server.base()), provenance);
        assertTrue(provenance.contains("Fetched:    ") && provenance.contains("by lab data fetch tiny"), provenance);
    }

    @Test
    void resumesWithARangeRequestWhenTheConnectionDropsMidway() throws IOException {
        server.cutAfter(TRAIN_IMAGES, 30_000);
        Cli.Run run = fetch(STALL);
        assertEquals(0, run.exit(), run.toString());
        assertEquals(Arrays.asList(null, "bytes=30000-"), server.rangesRequested(TRAIN_IMAGES));
        assertTrue(run.err().contains(TRAIN_IMAGES + ": attempt 1 of 3 failed"), run.err());
        assertTrue(run.err().contains(TRAIN_IMAGES + ": resuming at byte 30000"), run.err());
        assertAllFetched();
    }

    @Test
    void aLaterRunResumesThePartAFailedRunKept() throws IOException {
        server.cutAfter(TRAIN_IMAGES, 30_000);
        Cli.Run failed = fetch(STALL, "--attempts", "1");
        assertEquals(1, failed.exit(), failed.toString());
        Path part = dir.resolve(TRAIN_IMAGES + ".part");
        assertTrue(failed.err().contains("lab: " + TRAIN_IMAGES + ": download from " + server.base() + TRAIN_IMAGES
                + " failed after 1 attempt"), failed.err());
        assertTrue(failed.err().contains("the 30000 bytes received are kept in " + part
                + ": run the command again to resume"), failed.err());
        assertArrayEquals(Arrays.copyOf(files.get(TRAIN_IMAGES), 30_000), Files.readAllBytes(part));
        assertFalse(Files.exists(dir.resolve(TRAIN_IMAGES)), "no file under the final name before it is verified");

        Cli.Run resumed = fetch(STALL, "--attempts", "1");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals(Arrays.asList(null, "bytes=30000-"), server.rangesRequested(TRAIN_IMAGES));
        assertAllFetched();
    }

    @ParameterizedTest
    @ValueSource(strings = {TRAIN_IMAGES, TRAIN_LABELS})
    void corruptBytesFailNamingTheFileAndBothDigestsAndLeaveNothing(String name) throws IOException {
        byte[] corrupt = files.get(name).clone();
        corrupt[corrupt.length / 2] ^= 0x40;
        server.put(name, corrupt);
        Cli.Run run = fetch(STALL);
        assertEquals(1, run.exit(), run.toString());
        String algorithm = name.contains("images") ? "sha256" : "md5";
        String expected = name.contains("images") ? DataSources.sha256(files.get(name)) : FetcherTest.md5(files.get(name));
        String actual = name.contains("images") ? DataSources.sha256(corrupt) : FetcherTest.md5(corrupt);
        assertTrue(run.err().contains("lab: " + name + ": " + algorithm + " mismatch: expected " + expected
                + ", got " + actual), run.err());
        assertTrue(run.err().contains("nothing was written under " + name), run.err());
        assertFalse(Files.exists(dir.resolve(name)));
        assertFalse(Files.exists(dir.resolve(name + ".part")));
        assertFalse(Files.exists(dir.resolve("PROVENANCE")));
    }

    @Test
    void aPartWithWrongEarlierBytesIsResumedThenRejectedAndDeleted() throws IOException {
        Files.createDirectories(dir);
        byte[] wrongStart = new byte[1000];
        Files.write(dir.resolve(TRAIN_IMAGES + ".part"), wrongStart);
        Cli.Run run = fetch(STALL);
        assertEquals(1, run.exit(), run.toString());
        assertEquals(Arrays.asList("bytes=1000-"), server.rangesRequested(TRAIN_IMAGES));
        assertTrue(run.err().contains(TRAIN_IMAGES + ": sha256 mismatch"), run.err());
        assertFalse(Files.exists(dir.resolve(TRAIN_IMAGES + ".part")));
        assertFalse(Files.exists(dir.resolve(TRAIN_IMAGES)));

        Cli.Run again = fetch(STALL);
        assertEquals(0, again.exit(), again.toString());
        assertAllFetched();
    }

    @Test
    void aStalledTransferIsAbortedAndResumed() throws IOException {
        server.stallAfter(TRAIN_IMAGES, 20_000);
        Cli.Run run = fetch(Duration.ofMillis(300));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(Arrays.asList(null, "bytes=20000-"), server.rangesRequested(TRAIN_IMAGES));
        assertTrue(run.err().contains("nothing received for 300 ms after 20000 bytes"), run.err());
        assertAllFetched();
    }

    @Test
    void aServerThatIgnoresRangesGetsTheDownloadRestartedFromTheStart() throws IOException {
        server.ranges = false;
        Files.createDirectories(dir);
        Files.write(dir.resolve(TRAIN_IMAGES + ".part"), new byte[1000]);
        Cli.Run run = fetch(STALL);
        assertEquals(0, run.exit(), run.toString());
        assertEquals(Arrays.asList("bytes=1000-"), server.rangesRequested(TRAIN_IMAGES));
        assertTrue(run.err().contains(TRAIN_IMAGES + ": the server does not resume downloads; starting over"), run.err());
        assertAllFetched();
    }

    @Test
    void aMissingFileIsNamedAndNotRetried() throws IOException {
        LoopbackServer partial = new LoopbackServer();
        try (partial) {
            files.forEach((name, bytes) -> {
                if (!name.equals("t10k-labels-idx1-ubyte.gz")) {
                    partial.put(name, bytes);
                }
            });
            Cli.Run run = Cli.data(table(files), STALL, "fetch", "tiny", "--from", partial.base().toString(),
                    "--to", dir.toString());
            assertEquals(1, run.exit(), run.toString());
            assertTrue(run.err().contains("lab: t10k-labels-idx1-ubyte.gz: HTTP 404 from " + partial.base()
                    + "t10k-labels-idx1-ubyte.gz"), run.err());
            assertEquals(1, partial.rangesRequested("t10k-labels-idx1-ubyte.gz").size());
            assertFalse(Files.exists(dir.resolve("t10k-labels-idx1-ubyte.gz.part")), "an empty part file is removed");
        }
    }

    @Test
    void aServerOfferingAnotherSizeIsRefusedBeforeTheBody() {
        Map<String, KnownDataSets.DataSet> table = table(files);
        server.put(TRAIN_IMAGES, Arrays.copyOf(files.get(TRAIN_IMAGES), files.get(TRAIN_IMAGES).length + 5));
        Cli.Run run = Cli.data(table, STALL, "fetch", "tiny", "--from", server.base().toString(), "--to", dir.toString());
        assertEquals(1, run.exit(), run.toString());
        int size = files.get(TRAIN_IMAGES).length;
        assertTrue(run.err().contains("lab: " + TRAIN_IMAGES + ": " + server.base() + TRAIN_IMAGES + " offers "
                + (size + 5) + " bytes; expected " + size), run.err());
        assertFalse(Files.exists(dir.resolve(TRAIN_IMAGES + ".part")));
        assertFalse(Files.exists(dir.resolve(TRAIN_IMAGES)));
    }

    @Test
    void filesAlreadyPresentAreVerifiedNotDownloadedAndAChangedOneIsRefused() throws IOException {
        assertEquals(0, fetch(STALL).exit());
        int requests = server.requests.size();
        Cli.Run again = fetch(STALL);
        assertEquals(0, again.exit(), again.toString());
        assertEquals(requests, server.requests.size(), "nothing downloaded again");
        assertEquals(4, again.out().split("already present", -1).length - 1, again.out());

        byte[] changed = files.get(TRAIN_LABELS).clone();
        changed[20] ^= 1;
        Files.write(dir.resolve(TRAIN_LABELS), changed);
        Cli.Run refused = fetch(STALL);
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().contains(dir.resolve(TRAIN_LABELS) + " already exists but its md5 is "
                + FetcherTest.md5(changed) + ", expected " + FetcherTest.md5(files.get(TRAIN_LABELS))), refused.err());
        assertArrayEquals(changed, Files.readAllBytes(dir.resolve(TRAIN_LABELS)), "a file it did not write is left alone");
    }

    @Test
    void badInputIsRefusedBeforeAnyNetworkOrFile() {
        Path to = tmp.resolve("never");
        Cli.Run unknown = Cli.lab("data", "fetch", "cifar", "--to", to.toString());
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("lab: unknown data set 'cifar'; expected mnist or fashion-mnist"), unknown.err());
        Cli.Run ftp = Cli.lab("data", "fetch", "mnist", "--from", "ftp://127.0.0.1/mnist/", "--to", to.toString());
        assertEquals(2, ftp.exit(), ftp.toString());
        assertTrue(ftp.err().contains("lab: --from: 'ftp://127.0.0.1/mnist/': expected an http:// or https:// URL"), ftp.err());
        Cli.Run attempts = Cli.lab("data", "fetch", "mnist", "--attempts", "0", "--to", to.toString());
        assertEquals(2, attempts.exit(), attempts.toString());
        assertTrue(attempts.err().contains("--attempts: expected a positive integer, got 0"), attempts.err());
        assertFalse(Files.exists(to));
    }

    @Test
    void helpExplainsResumeVerificationAndExitCodes() {
        Cli.Run help = Cli.lab("data", "fetch", "--help");
        assertEquals(0, help.exit(), help.toString());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("NAME.part") && text.contains("Range request") && text.contains("Exit codes: 0"), text);
    }
}
