package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --fit-ranks fits alpha again from spectrum.csv: an exact power law gives its exponent back. */
class RefitTest {

    @TempDir
    Path run;

    @Test
    void refittingAnExactPowerLawRecoversItsExponentOverTheNewWindow() throws Exception {
        Files.createDirectories(run.resolve("metrics"));
        Files.writeString(run.resolve("spec.json"), "{\"analysis\": {\"manifoldDim\": 4.0}}");
        StringBuilder spectrum = new StringBuilder("epoch,layer,rank,eigenvalue\n");
        for (int n = 1; n <= 60; n++) {
            // lambda_n = n^-1.5 up to rank 40, then a collapse the default window would include
            double lambda = n <= 40 ? Math.pow(n, -1.5) : Math.pow(40, -1.5) * Math.pow(10, -(n - 40));
            spectrum.append("3,2,").append(n).append(',').append(lambda).append('\n');
        }
        Files.writeString(run.resolve("metrics/spectrum.csv"), spectrum.toString());
        Files.writeString(run.resolve("metrics/spectrum-summary.csv"),
                "epoch,layer,alpha,r2,fit_lo,fit_hi,points,participation_ratio,n90,n95,smoothness_margin,samples\n"
                        + "3,2,9.0,0.5,1,60,60,1.0,1,1,8.0,100\n");
        Files.writeString(run.resolve("metrics/train.csv"), "epoch,layer,split,loss,accuracy,samples\n");
        Files.writeString(run.resolve("metrics/robustness.csv"), "epoch,layer,attack,strength,accuracy,linf,l2,samples\n");
        RunData data = RunData.load(run);
        assertEquals(9.0, data.fits.get(3).get(2).alpha());
        data.refit(2, 40);
        RunData.Fit fit = data.fits.get(3).get(2);
        assertEquals(1.5, fit.alpha(), 1e-9);
        assertEquals(1.0, fit.r2(), 1e-12);
        assertEquals(39, fit.points());
        assertEquals(1.5 - (1 + 2 / 4.0), fit.smoothnessMargin(), 1e-9);
        data.refit(41, 60);
        assertTrue(data.fits.get(3).get(2).alpha() > 9, "the collapse alone is far steeper");
    }
}
