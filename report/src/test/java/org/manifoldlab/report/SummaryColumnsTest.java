package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.rundir.RunDirectory;

/** The report reads the interval, rank and d columns of spectrum-summary.csv and warns beside a poor fit. */
class SummaryColumnsTest {

    @TempDir
    Path run;

    @Test
    void reportShowsIntervalsAndWarnsBesideAnAlphaWithR2Below09() throws Exception {
        Files.createDirectories(run.resolve("metrics"));
        Files.writeString(run.resolve("spec.json"), "{\"seed\": 1, \"analysis\": {\"manifoldDim\": \"NaN\"}}");
        StringBuilder spectrum = new StringBuilder("epoch,layer,rank,eigenvalue\n");
        for (int layer = 1; layer <= 2; layer++) {
            for (int n = 1; n <= 40; n++) {
                spectrum.append("2,").append(layer).append(',').append(n).append(',').append(Math.pow(n, -1.5)).append('\n');
            }
        }
        Files.writeString(run.resolve("metrics/spectrum.csv"), spectrum.toString());
        String header = String.join(",", RunDirectory.SUMMARY_COLUMNS);
        Files.writeString(run.resolve("metrics/spectrum-summary.csv"), header + "\n"
                + "2,1,1.5,0.99,10,20,11,3.0,5,8,0.333,100,ols,auto,40,0,1.4,1.6,2.9,3.1,20,12,11,13,twonn,0.2,0.45,6.5,6,7,5.5,5.4,5.6\n"
                + "2,2,3.1,0.71,10,20,11,2.0,3,5,1.9,100,ols,auto,40,60,2.9,3.3,1.9,2.1,20,12,11,13,twonn,1.7,2.1,4.5,4,5,4,3.9,4.1\n");
        Files.writeString(run.resolve("metrics/train.csv"), "epoch,layer,split,loss,accuracy,samples\n"
                + "2,1,test,0.3,0.9,100\n2,2,test,0.4,0.8,100\n");
        Files.writeString(run.resolve("metrics/robustness.csv"), "epoch,layer,attack,strength,accuracy,linf,l2,samples\n");
        RunData data = RunData.load(run);
        RunData.Fit poor = data.fits.get(2).get(2);
        assertTrue(poor.poorFit());
        assertEquals(2.9, poor.extra().alphaLo(), 0.0);
        assertEquals(60, poor.extra().deadUnits(), 0.0);
        assertEquals(12, poor.extra().manifoldDim(), 0.0);
        Report.write(run, run.resolve("report"), null, null, null);
        String html = Files.readString(run.resolve("report/index.html"));
        assertEquals(1, html.split("class=\"warn\"", -1).length - 1, "one warning, beside layer 2's alpha");
        assertTrue(html.contains("1.5 [1.4, 1.6]") && html.contains("(d 12, input TwoNN)"), "alpha and margin with intervals, d and its source");

        data.refit(10, 30);
        assertEquals(1.5 - (1 + 2 / 12.0), data.fits.get(2).get(1).smoothnessMargin(), 1e-9, "auto d: the run's recorded d");
    }
}
