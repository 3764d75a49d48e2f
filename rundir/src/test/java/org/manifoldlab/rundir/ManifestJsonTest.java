package org.manifoldlab.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestJsonTest {

    @Test
    void aManifestReadsBackAsWrittenAndCarriesNoConclusionOfItsReader(@TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir);
        Manifest m = new Manifest("r", "n", 1, "v", Manifest.RUNNING, 3, 1, "", "", "t0", "t1", Manifest.thisHost(), ProcessHandle.current().pid());
        run.writeManifest(m);
        assertFalse(RunDirectory.JSON.readTree(run.manifest().toFile()).has("writerIsGone"));
        assertFalse(RunDirectory.JSON.readTree(run.manifest().toFile()).has("stale"));
        assertEquals(m, run.readManifest());
        assertFalse(run.readManifest().writerIsGone(), "this process is alive");
    }
}
