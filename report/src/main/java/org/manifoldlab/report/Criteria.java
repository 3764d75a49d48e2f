package org.manifoldlab.report;

/**
 * The thresholds that turn measured numbers into a verdict, written into summary.json and
 * index.html beside the verdicts so a reader can disagree with them.
 *
 * @param tolerance     accuracies closer than this are ties, not order violations. Default 0.01:
 *                      the binomial standard error of an accuracy near 0.5 on the default 2,000
 *                      probe samples is sqrt(0.25 / 2000) = 0.011, so smaller steps are noise
 * @param fewViolations a member is "nearly monotonic" when its order violations are at most
 *                      floor(fewViolations x comparable pairs): 0 of 3 pairs (3 layers), 1 of 10 (5 layers)
 * @param highRho       |mean rho| at or above which a monotonic relation is also a strong one
 * @param signRho       |mean rho| at or above which a relation has a clear sign (for sign changes across strengths)
 * @param significance  one-sided permutation p-value at or below which a correlation counts
 */
record Criteria(double tolerance, double fewViolations, double highRho, double signRho, double significance) {

    static final Criteria DEFAULTS = new Criteria(0.01, 0.10, 0.7, 0.5, 0.05);

    Criteria withTolerance(double newTolerance) {
        return new Criteria(newTolerance, fewViolations, highRho, signRho, significance);
    }

    int allowedViolations(int pairs) {
        return (int) Math.floor(fewViolations * pairs + 1e-9);
    }

    /** The rule every verdict follows, written on the page before the verdicts. */
    static final String SEED_RULE = "The unit of independence is the network trained from one seed: members of one seed (other "
            + "settings pooled with --pool) add their probe counts. Layers are ordered by their mean alpha over the seeds. For "
            + "every pair of layers at every strength of a claim, the paired difference of their accuracies (same probes) is "
            + "averaged over seeds and bootstrapped hierarchically: 2,000 replicates resample the seeds, then each seed's probes "
            + "(each layer's correct count drawn from Binomial(n, k/n): the run directory keeps counts, not per-probe "
            + "correctness; ignoring the two layers' correlation on the same probes makes the interval wider, not narrower). Two "
            + "layers differ when the bootstrap interval of their difference excludes 0 after Holm's correction over all pairs "
            + "and strengths of the claim (family-wise 5%). At one strength the order is 'monotonic' (increasing or decreasing) "
            + "when no significant difference reverses it, 'not monotonic' with at least one significant reversal (differences "
            + "of both signs), 'no difference' when no pair differs. No interval is drawn from fewer than 3 seeds and no verdict "
            + "from fewer than 3 layers; the page says so instead. Spearman rho and tolerance-based order violations are shown as "
            + "description only.";

    String finding1() {
        return SEED_RULE + " Finding 1 (clean test accuracy): supported when increasing; contradicted when decreasing or not "
                + "monotonic; inconclusive with no difference.";
    }

    String finding2() {
        return SEED_RULE + " Finding 2 (accuracy on the noisy input, at each sigma > 0): contradicted when any sigma is not "
                + "monotonic; supported when none is and at least one pair differs; inconclusive when no pair differs at any sigma.";
    }

    String finding3() {
        return SEED_RULE + " Finding 3 (robust accuracy, at each FGSM eps > 0): supported when any eps is not monotonic; "
                + "contradicted when none is and at least one pair differs; inconclusive when no pair differs at any eps.";
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e6) {
            return Long.toString((long) d);
        }
        String s = String.format(java.util.Locale.ROOT, "%.3f", d);
        if (s.equals("0.000") || s.equals("-0.000")) {
            s = String.format(java.util.Locale.ROOT, "%.2g", d);
        }
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
