package org.manifoldlab.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the findings compare from one run (a sweep member): at its analysis epoch, every hidden
 * layer's alpha, clean accuracy, and accuracy under each attack at each strength.
 *
 * @param label       what sets this member apart in a sweep (e.g. {@code network.readoutScale=2}), empty for one run
 * @param cleanSource where the clean accuracy came from: the test split of train.csv at that
 *                    epoch, else the probe accuracy at Gaussian sigma 0
 */
record Member(String id, long seed, String label, Integer epoch, String cleanSource, List<Layer> layers) {

    /** One hidden layer (numbered from 1): alpha and accuracies; NaN where not measured. */
    record Layer(int layer, double alpha, double clean, Map<String, NavigableMap<Double, Double>> attacked) {

        double accuracy(String attack, double strength) {
            Double a = attacked.getOrDefault(attack, new TreeMap<>()).get(strength);
            return a == null ? Double.NaN : a;
        }
    }

    static final String CLEAN_FROM_TEST_SPLIT = "train.csv, split test";
    static final String CLEAN_FROM_GAUSSIAN_ZERO = "robustness.csv, gaussian sigma 0";

    static Member of(RunData run, Integer requestedEpoch, String label) {
        Integer epoch = run.analysisEpoch(requestedEpoch);
        if (epoch == null) {
            return new Member(run.id(), run.seed, label, null, "", List.of());
        }
        NavigableMap<Integer, RunData.Fit> fits = run.fits.getOrDefault(epoch, new TreeMap<>());
        NavigableMap<Integer, Double> test = run.accuracy.getOrDefault("test", new TreeMap<>()).getOrDefault(epoch, new TreeMap<>());
        var gaussian = run.attackAccuracy(epoch, RunData.GAUSSIAN);
        boolean fromTest = !test.isEmpty();
        List<Layer> layers = new ArrayList<>();
        for (int layer : run.layers()) {
            RunData.Fit fit = fits.get(layer);
            double alpha = fit == null ? Double.NaN : fit.alpha();
            double clean;
            if (fromTest) {
                clean = test.getOrDefault(layer, Double.NaN);
            } else {
                clean = gaussian.getOrDefault(layer, new TreeMap<>()).getOrDefault(0.0, Double.NaN);
            }
            Map<String, NavigableMap<Double, Double>> attacked = new TreeMap<>();
            for (String attack : run.attacks(epoch)) {
                attacked.put(attack, run.attackAccuracy(epoch, attack).getOrDefault(layer, new TreeMap<>()));
            }
            layers.add(new Layer(layer, alpha, clean, attacked));
        }
        return new Member(run.id(), run.seed, label, epoch, fromTest ? CLEAN_FROM_TEST_SPLIT : CLEAN_FROM_GAUSSIAN_ZERO, layers);
    }
}
