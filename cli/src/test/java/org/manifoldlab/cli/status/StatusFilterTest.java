package org.manifoldlab.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.BadInputTest;
import org.manifoldlab.rundir.Manifest;
import org.manifoldlab.rundir.RunDirectory;

/** lab status shows each run's settings, keeps the runs --where names, orders them by --sort. */
class StatusFilterTest {

    @TempDir
    Path runs;

    private void run(String id, String status, long seed, String widths, double best) throws Exception {
        RunDirectory run = new RunDirectory(Files.createDirectories(runs.resolve("sweep").resolve(id).resolve("metrics")).getParent());
        String now = Instant.now().toString();
        run.writeManifest(new Manifest(id, id, seed, "test", status, 1, 1, "", "", now, now, Manifest.thisHost(), 1));
        Files.writeString(run.spec(), "{\"name\": \"" + id + "\", \"seed\": " + seed + ", \"network\": {\"widths\": " + widths
                + "}, \"settings\": [\"seed=" + seed + "\", \"network.widths=" + widths + "\"]}");
        Files.writeString(run.trainCsv(), "epoch,layer,split,loss,accuracy,samples\n1,1,test,0.5," + best + ",100\n");
    }

    @Test
    void settingsWhereAndSort() throws Exception {
        run("m-001", Manifest.COMPLETED, 1, "[500,500]", 0.91);
        run("m-002", Manifest.COMPLETED, 1, "[1000]", 0.95);
        run("m-003", Manifest.FAILED, 2, "[500,500]", 0.80);
        List<String> all = BadInputTest.lab("status", runs.toString()).out().lines().toList();
        assertEquals(4, all.size(), String.join("\n", all));
        assertTrue(all.get(1).startsWith("m-001") && all.get(1).endsWith("seed=1 network.widths=[500,500]"), all.get(1));

        List<String> wide = BadInputTest.lab("status", runs.toString(), "--where", "network.widths=[500, 500]").out().lines().toList();
        assertEquals(List.of("m-001", "m-003"), wide.subList(1, wide.size()).stream().map(l -> l.split(" ")[0]).toList());
        List<String> failed = BadInputTest.lab("status", runs.toString(), "--where", "state=failed").out().lines().toList();
        assertEquals(List.of("m-003"), failed.subList(1, failed.size()).stream().map(l -> l.split(" ")[0]).toList());
        List<String> best = BadInputTest.lab("status", runs.toString(), "--sort", "best").out().lines().toList();
        assertEquals(List.of("m-002", "m-001", "m-003"), best.subList(1, best.size()).stream().map(l -> l.split(" ")[0]).toList());
        BadInputTest.Result none = BadInputTest.lab("status", runs.toString(), "--where", "seed=9");
        assertEquals(0, none.code());
        assertEquals("No runs under " + runs + " match seed=9.", none.out().strip());
    }
}
