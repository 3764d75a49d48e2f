package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.manifoldlab.core.data.DataSources;

/** {@code lab data import}: a checked, complete copy or nothing. */
class ImportCommandTest {

    @TempDir
    Path tmp;
    Map<String, byte[]> files;
    Path source;
    Path dataDir;

    @BeforeEach
    void source() throws IOException {
        files = TestIdx.ownSplit(new int[] {6, 4, 5}, new int[] {2, 3, 1}, 4, 4, tmp.resolve("s"));
        source = TestIdx.write(tmp.resolve("source"), files);
        dataDir = tmp.resolve("datasets");
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void importsACheckedByteForByteCopyWithProvenance() throws IOException {
        Files.writeString(source.resolve("README.txt"), "not data");
        Instant before = Instant.now().minusSeconds(1);
        Cli.Run run = Cli.lab("data", "import", source.toString(), "--name", "tiny", "--to", dataDir.toString());
        assertEquals(0, run.exit(), run.toString());
        Path target = dataDir.resolve("tiny");
        assertEquals(List.of("tiny"), entries(dataDir), "no temporary directory is left");
        assertEquals(List.of("PROVENANCE", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), entries(target));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(target.resolve(e.getKey())), e.getKey());
        }
        assertTrue(run.out().contains("not copied (not IDX data of this layout): README.txt"), run.out());
        assertTrue(run.out().contains("use it as data source idx:" + target), run.out());

        String provenance = Files.readString(target.resolve("PROVENANCE"));
        assertTrue(provenance.startsWith("Source:     " + source.toAbsolutePath() + "\n"), provenance);
        Matcher date = Pattern.compile("Imported:   (\\S+) by lab data import").matcher(provenance);
        assertTrue(date.find(), provenance);
        Instant imported = Instant.parse(date.group(1));
        assertTrue(!imported.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                && Duration.between(imported, Instant.now()).getSeconds() < 60, provenance);
        assertTrue(provenance.contains("Content:    train 15, test 6 images of 4x4 pixels; labels 0..2"), provenance);
        Map<String, String> sums = Provenance.checksums(target);
        assertEquals(files.keySet(), sums.keySet());
        files.forEach((name, bytes) -> assertEquals(DataSources.sha256(bytes), sums.get(name), name));

        Cli.Run info = Cli.lab("data", "info", "idx:" + target);
        assertEquals(0, info.exit(), info.toString());
        assertEquals(4, info.out().split("  ok\n", -1).length - 1, info.out());
    }

    /** A damage to the source directory, and the start of the message that names it. */
    private String damage(String kind) throws IOException {
        switch (kind) {
            case "truncated" -> {
                byte[] b = files.get("t10k-images-idx3-ubyte.gz");
                Files.write(source.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(b, b.length / 2));
                return source + "/t10k-images-idx3-ubyte.gz: corrupt or truncated gzip stream";
            }
            case "counts" -> {
                Files.write(source.resolve("train-labels-idx1-ubyte.gz"), files.get("t10k-labels-idx1-ubyte.gz"));
                return source + "/train-labels-idx1-ubyte.gz: 6 labels for the 15 images of train-images-idx3-ubyte.gz";
            }
            case "magic" -> {
                Files.write(source.resolve("t10k-images-idx3-ubyte.gz"), files.get("t10k-labels-idx1-ubyte.gz"));
                return source + "/t10k-images-idx3-ubyte.gz: wrong magic number 0x00000801; expected 0x00000803";
            }
            case "missing" -> {
                Files.delete(source.resolve("train-labels-idx1-ubyte.gz"));
                return source + ": missing train-labels-idx1-ubyte[.gz]";
            }
            case "both" -> {
                Files.write(source.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
                return source + ": holds both t10k-labels-idx1-ubyte and t10k-labels-idx1-ubyte.gz; keep one";
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "counts", "magic", "missing", "both"})
    void aBadDirectoryIsRefusedNamingTheFileAndNothingIsCreated(String kind) throws IOException {
        String message = damage(kind);
        Cli.Run run = Cli.lab("data", "import", source.toString(), "--name", "tiny", "--to", dataDir.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("lab: " + message), run.err());
        assertTrue(run.err().contains("nothing was imported"), run.err());
        assertFalse(Files.exists(dataDir), "nothing is created");
    }

    @Test
    void anExistingTargetIsNeverOverwritten() throws IOException {
        Files.createDirectories(dataDir.resolve("tiny"));
        Files.writeString(dataDir.resolve("tiny/keep"), "mine");
        Cli.Run run = Cli.lab("data", "import", source.toString(), "--name", "tiny", "--to", dataDir.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("lab: " + dataDir.resolve("tiny") + " already exists; choose another --name"), run.err());
        assertEquals(List.of("keep"), entries(dataDir.resolve("tiny")));
        assertEquals(List.of("tiny"), entries(dataDir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", ".hidden", ""})
    void aNameThatIsNotAPlainDirectoryNameIsRefused(String name) {
        Cli.Run run = Cli.lab("data", "import", source.toString(), "--name", name, "--to", dataDir.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("lab: --name '" + name + "': expected 1 to 64 letters, digits"), run.err());
        assertFalse(Files.exists(dataDir));
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void aCopyThatFailsHalfwayLeavesNothingBehind() throws IOException {
        Map<String, byte[]> some = new LinkedHashMap<>();
        some.put("train-images-idx3-ubyte.gz", files.get("train-images-idx3-ubyte.gz"));
        some.put("no-such-dir/train-labels-idx1-ubyte.gz", files.get("train-labels-idx1-ubyte.gz"));
        assertThrows(IOException.class, () -> Provenance.install(dataDir, "tiny", some, "Source: test\n"));
        assertFalse(Files.exists(dataDir), "the data directory this call created is removed again");

        Files.createDirectories(dataDir);
        assertThrows(IOException.class, () -> Provenance.install(dataDir, "tiny", some, "Source: test\n"));
        assertEquals(List.of(), entries(dataDir), "no half-copied or temporary directory");
    }

    @Test
    void helpDocumentsLayoutAtomicityAndExitCodes() {
        Cli.Run help = Cli.lab("data", "import", "--help");
        assertEquals(0, help.exit(), help.toString());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("either complete or absent") && text.contains("never overwritten")
                && text.contains("Exit codes: 0 imported"), text);
    }
}
