package org.manifoldlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small hand-made run directory: 3 layers, 2 epochs, 20 eigenvalues a layer, Gaussian, FGSM
 * and PGD rows. By construction (at the last epoch): alpha = 0.8, 1.0, 1.2 (+ 0.05 x seed);
 * clean accuracy rises with alpha; Gaussian accuracy rises with alpha at every sigma; FGSM
 * robust accuracy peaks at the middle layer (non-monotonic); plain accuracy is 0.01 above the
 * robust one under FGSM and PGD and the given one under noise (robust 0.01 below). It also holds the awkward values a real
 * run writes: NaN, inf, a zero eigenvalue (dropped from log axes).
 */
public final class RunFixture {

    static final double[] ALPHA = {0.8, 1.0, 1.2};
    static final double[] CLEAN = {0.80, 0.85, 0.90};
    static final double[] SIGMAS = {0, 0.1, 0.3};
    static final double[][] GAUSSIAN = {{0.80, 0.70, 0.40}, {0.85, 0.78, 0.50}, {0.90, 0.84, 0.60}};  // [layer][sigma]
    static final double[] EPSILONS = {0, 0.05, 0.1};
    static final double[][] FGSM = {{0.80, 0.30, 0.10}, {0.85, 0.50, 0.30}, {0.90, 0.20, 0.05}};

    private RunFixture() {
    }

    public static Path write(Path dir, long seed) throws IOException {
        return write(dir, seed, 1.0);
    }

    /**
     * The fingerprint is a function of (seed, readoutScale), as a real run's would be; spec.json
     * lists the member's sweep settings, which differ between seeds, as lab sweep writes them.
     */
    public static Path write(Path dir, long seed, double readoutScale) throws IOException {
        Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(dir.resolve("spec.json"), String.format(Locale.ROOT, """
                {"name": "fixture", "seed": %d, "network": {"widths": [20, 20, 20], "activation": "relu", "readoutScale": %s},
                 "training": {"mode": "local", "epochs": 2}, "version": "test", "settings": ["seed=%d", "network.readoutScale=%s"]}
                """, seed, readoutScale, seed, readoutScale));
        Files.writeString(dir.resolve("manifest.json"), String.format(Locale.ROOT, """
                {"id": "%s", "name": "fixture", "seed": %d, "status": "completed", "epochs": 2, "epochsCompleted": 2,
                 "fingerprint": "f%d-%s"}
                """, dir.getFileName(), seed, seed, readoutScale));
        double shiftAlpha = 0.05 * seed;
        double shiftAcc = 0.01 * seed;
        List<String> train = new ArrayList<>(List.of("epoch,layer,split,loss,accuracy,samples"));
        List<String> spectrum = new ArrayList<>(List.of("epoch,layer,rank,eigenvalue"));
        List<String> summary = new ArrayList<>(List.of(
                "epoch,layer,alpha,r2,fit_lo,fit_hi,points,participation_ratio,n90,n95,smoothness_margin,samples"));
        List<String> robustness = new ArrayList<>(List.of("epoch,layer,attack,strength,accuracy,robust_accuracy,linf,l2,samples,target,sanity"));
        for (int epoch = 1; epoch <= 2; epoch++) {
            double grow = epoch == 1 ? 0.9 : 1.0;  // epoch 1: a little less decay and accuracy
            for (int l = 0; l < 3; l++) {
                int layer = l + 1;
                double alpha = ALPHA[l] * grow + shiftAlpha;
                double clean = CLEAN[l] * grow + shiftAcc;
                train.add(row(epoch, layer, "train", 0.5 / epoch, clean + 0.02, 8000));
                train.add(row(epoch, layer, "test", 0.6 / epoch, clean, 2000));
                for (int n = 1; n <= 20; n++) {
                    double eig = n == 20 ? 0.0 : 3.0 * Math.pow(n, -alpha);  // the last is numerically zero
                    spectrum.add(row(epoch, layer, n, eig));
                }
                double pr = 4.0 + layer;
                summary.add(row(epoch, layer, alpha, 0.99, 2, 15, 14, pr, 9, 12, alpha - 1, 2000));
                for (int s = 0; s < SIGMAS.length; s++) {
                    double plain = GAUSSIAN[l][s] * grow + shiftAcc;  // robust: a little lower (noise fixes a few wrong probes)
                    robustness.add(row(epoch, layer, "gaussian", SIGMAS[s], plain, s == 0 ? plain : plain - 0.01,
                            s == 0 ? "NaN" : "inf", s == 0 ? 0 : SIGMAS[s] * 28, 2000, "none", "ok"));
                }
                for (int s = 0; s < EPSILONS.length; s++) {
                    double robust = FGSM[l][s] * grow + shiftAcc;  // plain: a little higher
                    robustness.add(row(epoch, layer, "fgsm", EPSILONS[s], s == 0 ? robust : robust + 0.01, robust, EPSILONS[s],
                            EPSILONS[s] * 28, 2000, "label", "ok"));
                }
                // layer 3's PGD row carries a sanity mark, to check that the report names marked rows
                robustness.add(row(epoch, layer, "pgd", 0.1, 0.02 * layer + 0.01, 0.02 * layer, 0.1, 2.5, 2000, "label",
                        layer == 3 ? "pgd-above-fgsm" : "ok"));
            }
        }
        Files.write(dir.resolve("metrics/train.csv"), train);
        Files.write(dir.resolve("metrics/spectrum.csv"), spectrum);
        Files.write(dir.resolve("metrics/spectrum-summary.csv"), summary);
        Files.write(dir.resolve("metrics/robustness.csv"), robustness);
        List<String> probes = new ArrayList<>(List.of("epoch,layer,accuracy,loss,train_accuracy,samples,probe_epochs,seed"));
        for (int l = 0; l < 3; l++) {  // linear probes after the last epoch: 0.03 above the fixed readout
            probes.add(row(2, l + 1, CLEAN[l] + 0.01 * seed + 0.03, 0.3, 0.95, 2000, 5, seed));
        }
        Files.write(dir.resolve("metrics/probes.csv"), probes);
        return dir;
    }

    private static String row(Object... values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            out.add(v instanceof Double d ? Double.toString(d) : String.valueOf(v));
        }
        return String.join(",", out);
    }
}
