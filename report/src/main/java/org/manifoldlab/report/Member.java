package org.manifoldlab.report;

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
record Member(String id, long seed, String label, Integer epoch, String cleanSource, List<Layer> layers, String fingerprint) {

    Member(String id, long seed, String label, Integer epoch, String cleanSource, List<Layer> layers) {
        this(id, seed, label, epoch, cleanSource, layers, "");
    }

    /**
     * One hidden layer (numbered from 1): alpha, accuracies and the probe counts they are
     * fractions of; NaN where not measured.
     */
    record Layer(int layer, double alpha, double clean, double cleanSamples, Map<String, NavigableMap<Double, Double>> attacked,
                 Map<String, NavigableMap<Double, Double>> attackedSamples) {

        Layer(int layer, double alpha, double clean, Map<String, NavigableMap<Double, Double>> attacked) {
            this(layer, alpha, clean, Double.NaN, attacked, Map.of());
        }

        double accuracy(String attack, double strength) {
            Double a = attacked.getOrDefault(attack, new TreeMap<>()).get(strength);
            return a == null ? Double.NaN : a;
        }

        double samples(String attack, double strength) {
            Double n = attackedSamples.getOrDefault(attack, new TreeMap<>()).get(strength);
            return n == null ? Double.NaN : n;
        }
    }

    static final String CLEAN_FROM_TEST_SPLIT = "train.csv, split test";
    static final String CLEAN_FROM_GAUSSIAN_ZERO = "robustness.csv, gaussian sigma 0";

    static Member of(RunData run, Integer requestedEpoch, String label) {
        Integer epoch = run.analysisEpoch(requestedEpoch);
        if (epoch == null) {
            return new Member(run.id(), run.seed, label, null, "", List.of(), run.fingerprint);
        }
        NavigableMap<Integer, RunData.Fit> fits = run.fits.getOrDefault(epoch, new TreeMap<>());
        NavigableMap<Integer, Double> test = run.accuracy.getOrDefault("test", new TreeMap<>()).getOrDefault(epoch, new TreeMap<>());
        NavigableMap<Integer, Double> testSamples = run.samples.getOrDefault("test", new TreeMap<>()).getOrDefault(epoch, new TreeMap<>());
        var gaussian = run.attackAccuracy(epoch, RunData.GAUSSIAN);
        boolean fromTest = !test.isEmpty();
        List<Layer> layers = new ArrayList<>();
        for (int layer : run.layers()) {
            RunData.Fit fit = fits.get(layer);
            double alpha = fit == null ? Double.NaN : fit.alpha();
            double clean;
            double cleanSamples;
            if (fromTest) {
                clean = test.getOrDefault(layer, Double.NaN);
                cleanSamples = testSamples.getOrDefault(layer, Double.NaN);
            } else {
                clean = gaussian.getOrDefault(layer, new TreeMap<>()).getOrDefault(0.0, Double.NaN);
                RunData.Robust zero = run.results(epoch, RunData.GAUSSIAN).getOrDefault(layer, new TreeMap<>()).get(0.0);
                cleanSamples = zero == null ? Double.NaN : zero.samples();
            }
            Map<String, NavigableMap<Double, Double>> attacked = new TreeMap<>();
            Map<String, NavigableMap<Double, Double>> attackedSamples = new TreeMap<>();
            for (String attack : run.attacks(epoch)) {
                attacked.put(attack, run.attackAccuracy(epoch, attack).getOrDefault(layer, new TreeMap<>()));
                NavigableMap<Double, Double> n = new TreeMap<>();
                run.results(epoch, attack).getOrDefault(layer, new TreeMap<>()).forEach((s, r) -> n.put(s, r.samples()));
                attackedSamples.put(attack, n);
            }
            layers.add(new Layer(layer, alpha, clean, cleanSamples, attacked, attackedSamples));
        }
        return new Member(run.id(), run.seed, label, epoch, fromTest ? CLEAN_FROM_TEST_SPLIT : CLEAN_FROM_GAUSSIAN_ZERO, layers,
                run.fingerprint);
    }
}
