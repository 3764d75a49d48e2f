package org.manifoldlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training-time axis on runs whose alphas and accuracies over epochs are chosen, with the rho and intervals worked by hand. */
class TrainingTimeTest {

    @TempDir
    Path dir;

    /** A run of two layers over four analysed epochs: alpha 1, 2, 3, 4 in both; the accuracies given per layer. */
    private RunData run(long seed, double[] layer1, double[] layer2) throws IOException {
        Path d = dir.resolve("run-" + seed);
        Files.createDirectories(d.resolve("metrics"));
        Files.writeString(d.resolve("spec.json"), "{\"name\": \"tt\", \"seed\": " + seed + "}");
        List<String> train = new ArrayList<>(List.of("epoch,layer,split,loss,accuracy,samples"));
        List<String> summary = new ArrayList<>(List.of("epoch,layer,alpha,r2,fit_lo,fit_hi,points,participation_ratio,n90,n95,smoothness_margin,samples"));
        for (int epoch = 1; epoch <= 4; epoch++) {
            double[][] acc = {layer1, layer2};
            for (int layer = 1; layer <= 2; layer++) {
                train.add(String.format(Locale.ROOT, "%d,%d,test,0.5,%s,2000", epoch, layer, acc[layer - 1][epoch - 1]));
                summary.add(String.format(Locale.ROOT, "%d,%d,%d.0,0.99,2,15,14,5,9,12,0.5,2000", epoch, layer, epoch));
            }
        }
        Files.write(d.resolve("metrics/train.csv"), train);
        Files.write(d.resolve("metrics/spectrum-summary.csv"), summary);
        Files.writeString(d.resolve("metrics/spectrum.csv"), "epoch,layer,rank,eigenvalue\n");
        Files.writeString(d.resolve("metrics/robustness.csv"), "epoch,layer,attack,strength,accuracy,robust_accuracy,linf,l2,samples,target,sanity\n");
        return RunData.load(d);
    }

    private static final double[] RISING = {0.1, 0.2, 0.3, 0.4};   // rho +1 against alpha 1..4
    private static final double[] MOSTLY = {0.1, 0.3, 0.2, 0.4};   // ranks 1 3 2 4: rho = 1 - 6 * 2 / (4 * 15) = 0.8
    private static final double[] FALLING = {0.4, 0.3, 0.2, 0.1};  // rho -1
    private static final double[] MOSTLY_DOWN = {0.4, 0.2, 0.3, 0.1};  // rho -0.8

    @Test
    void perLayerRhoAndTheSeedMeansIntervalAreTheHandComputedOnes() throws IOException {
        List<RunData> runs = List.of(run(1, RISING, MOSTLY), run(2, RISING, MOSTLY), run(3, RISING, FALLING));
        assertEquals(0.8, TrainingTime.rhoByLayer(runs.get(0), "clean", Double.NaN).get(2), 1e-12);
        TrainingTime.Effect e = TrainingTime.effect(runs, "clean", Double.NaN);
        assertEquals(1.0, e.perLayer().get(1).mean(), 1e-12);
        assertEquals((0.8 + 0.8 - 1) / 3, e.perLayer().get(2).mean(), 1e-12);
        // seed means 0.9, 0.9, 0.0: mean 0.6, sd sqrt(0.27), half-width t(0.975, 2) sd / sqrt 3 = 4.302653 * 0.3
        assertEquals(0.6, e.overall().mean(), 1e-12);
        assertEquals(Math.sqrt(0.27), e.overall().sd(), 1e-12);
        assertEquals(0.6 - 4.302653 * 0.3, e.overall().lo(), 1e-5);
        assertEquals(TrainingTime.Direction.INCONCLUSIVE, e.direction(), "the interval covers 0");
    }

    @Test
    void theDirectionFollowsTheIntervalAndNeedsThreeSeeds() throws IOException {
        List<RunData> up = List.of(run(1, RISING, MOSTLY), run(2, RISING, RISING), run(3, MOSTLY, MOSTLY));
        assertEquals(TrainingTime.Direction.RISES, TrainingTime.effect(up, "clean", Double.NaN).direction());
        // seed means -1, -0.9, -1: sd 0.0577, half-width 4.3027 * 0.0577 / sqrt 3 = 0.143, so the interval ends at -0.82
        List<RunData> down = List.of(run(4, FALLING, FALLING), run(5, FALLING, MOSTLY_DOWN), run(6, FALLING, FALLING));
        TrainingTime.Effect d = TrainingTime.effect(down, "clean", Double.NaN);
        assertEquals(-29.0 / 30, d.overall().mean(), 1e-12);
        assertEquals(-29.0 / 30 + 4.302653 * Math.sqrt(1.0 / 300) / Math.sqrt(3), d.overall().hi(), 1e-5);
        assertEquals(TrainingTime.Direction.FALLS, d.direction());
        assertEquals(TrainingTime.Direction.INCONCLUSIVE, TrainingTime.effect(up.subList(0, 2), "clean", Double.NaN).direction(),
                "two seeds give no verdict");
    }
}
