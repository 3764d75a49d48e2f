package org.manifoldlab.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.BadInputTest;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/** One unreadable run is skipped with a line naming its file; every other run is still shown. */
class UnreadableRunTest {

    @TempDir
    Path runs;

    private void good(String id) throws Exception {
        RunDirectory run = new RunDirectory(Files.createDirectories(runs.resolve(id).resolve("metrics")).getParent());
        String now = Instant.now().toString();
        run.writeManifest(new Manifest(id, id, 1, "test", Manifest.COMPLETED, 4, 4, "ab12", "", now, now, Manifest.thisHost(), 1));
    }

    @Test
    void statusSkipsACorruptManifestAndShowsTheRest() throws Exception {
        good("a-good");
        good("c-good");
        Path bad = Files.createDirectories(runs.resolve("b-corrupt"));
        Files.writeString(bad.resolve("manifest.json"), "{\"id\": \"b-corrupt\", \"status\": ");
        BadInputTest.Result r = BadInputTest.lab("status", runs.toString());
        assertEquals(0, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("lab: skipped b-corrupt: " + bad.resolve("manifest.json") + ": not a readable manifest: "),
                r.err());
        assertTrue(r.out().contains("a-good") && r.out().contains("c-good") && !r.out().contains("b-corrupt"), r.out());
    }
}
