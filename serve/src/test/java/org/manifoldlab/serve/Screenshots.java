package org.manifoldlab.serve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Takes the screenshots under docs/: the runs page and a run's page of a real runs directory, in
 * headless chromium. {@code java -cp <serve's test classpath> org.manifoldlab.serve.Screenshots RUNS_DIR RUN_ID OUT_DIR}.
 */
public final class Screenshots {

    private Screenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args[0]);
        String run = args[1];
        Path out = Path.of(args[2]);
        try (LabServer server = LabServer.start(runs, "127.0.0.1", 0); Chromium chromium = Chromium.start(1400, 900)) {
            String base = "http://127.0.0.1:" + server.port() + "/";
            chromium.open(base);
            chromium.awaitTrue("document.querySelector('tr[data-run]') !== null", "a run's row");
            chromium.screenshot(out.resolve("serve-runs.png"), 1400, 700);
            chromium.open(base + "run?id=" + URLEncoder.encode(run, StandardCharsets.UTF_8));
            chromium.awaitTrue("document.querySelectorAll('#chart-spectrum path.series').length > 0", "the spectrum");
            chromium.screenshot(out.resolve("serve-run.png"), 1400, 2000);
            if (args.length > 3) {
                chromium.open(base + "sweep?id=" + URLEncoder.encode(args[3], StandardCharsets.UTF_8));
                chromium.awaitTrue("document.querySelectorAll('#chart-accuracy path.series').length > 0", "the sweep's curves");
                chromium.screenshot(out.resolve("serve-sweep.png"), 1400, 1100);
            }
        }
    }
}
