package org.manifoldlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.RunDirectory;

/**
 * The pages in a real browser (Debian's chromium, headless): a run that starts while the runs
 * page is open appears on it, and each new epoch appears on the run's page without a reload. It
 * prints the latency from an epoch's event written to events.jsonl to the epoch shown on the page.
 * Without chromium it is skipped on a developer's machine and fails in CI (CI is set), where
 * .ci/run installs it.
 */
class BrowserTest {

    static final int EPOCHS = 8;

    @Test
    void aRunAppearsLiveAndItsEpochsAppearWithoutAReload(@TempDir Path runs) throws Exception {
        if (Chromium.binary() == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("chromium is missing (CI is set): .ci/run must install Debian's chromium");
            }
            Assumptions.abort("no chromium on this machine (apt-get install chromium)");
        }
        try (LabServer server = LabServer.start(runs, "127.0.0.1", 0, LabServer.SCAN_EVERY, RunFollower.Intervals.DEFAULT);
             Chromium chromium = Chromium.start(1400, 900)) {
            String base = "http://127.0.0.1:" + server.port() + "/";
            chromium.open(base);
            chromium.awaitTrue("document.getElementById('connection').textContent === 'live'", "its stream open");
            chromium.awaitTrue("document.querySelector('#runs tbody').textContent.includes('No runs yet')", "an empty runs directory");
            RunDirectory run = TestRuns.create(runs, "browser-20260101-000001", EPOCHS, List.of("seed=1"));
            TestRuns.epoch(run, 1, EPOCHS);
            chromium.awaitTrue("(r => r !== null && r.textContent.includes('running'))(document.querySelector('tr[data-run=\"" + run.id() + "\"]'))",
                    "the new run, running, on the runs page");

            chromium.open(base + "run?id=" + run.id());
            chromium.awaitTrue("document.getElementById('latest-epoch').dataset.epoch === '1'", "epoch 1 on the run's page");
            chromium.eval("window.samePage = 'not reloaded'");
            List<Long> latencies = new ArrayList<>();
            for (int e = 2; e <= EPOCHS; e++) {
                long written = System.currentTimeMillis();
                TestRuns.epoch(run, e, EPOCHS);
                chromium.awaitTrue("window.labShown && window.labShown[" + e + "] !== undefined", "epoch " + e + " on the run's page");
                long shown = chromium.eval("window.labShown[" + e + "]").asLong();
                latencies.add(shown - written);
                assertEquals("not reloaded", chromium.eval("window.samePage").asText(), "the page was not reloaded");
            }
            assertNotNull(chromium.eval("document.querySelector('#chart-spectrum path.series')"));
            assertTrue(chromium.eval("document.querySelectorAll('#attacks .card svg').length").asInt() >= 2, "a chart per attack");
            List<Long> sorted = latencies.stream().sorted().toList();
            System.out.printf("lab serve latency, epoch written to events.jsonl -> shown on the run's page (%d epochs): median %d ms, max %d ms, all %s%n",
                    sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), latencies);
        }
    }
}
