package org.manifoldlab.cli.report;

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

    String finding1() {
        return String.format(java.util.Locale.ROOT,
                "Spearman rho between alpha and clean accuracy over all layers (of all members) is positive with one-sided "
                        + "permutation p <= %s (exact for up to 8 points, else 20,000 seeded draws), and, with two or more members, "
                        + "the 95%% t-interval of the members' own rho lies above 0. Contradicted: the same with the sign reversed. "
                        + "Otherwise inconclusive.", fmt(significance));
    }

    String finding2() {
        return String.format(java.util.Locale.ROOT,
                "At one sigma > 0 a member's accuracies ordered by alpha are 'monotonic' when no comparable pair of layers "
                        + "(alpha_i < alpha_j) reverses the member's order by more than the tolerance %s, and 'nearly monotonic' "
                        + "with at most floor(%s x pairs) such order violations. A sigma is flat (uninformative) when every member's "
                        + "accuracies are equal within the tolerance. Supported: at every non-flat sigma > 0 every member is nearly "
                        + "monotonic, all in the same direction, and |mean rho| >= %s. Contradicted: at some non-flat sigma a "
                        + "member is not nearly monotonic or members disagree in direction. Inconclusive: no non-flat sigma, or "
                        + "only |mean rho| falls short.", fmt(tolerance), fmt(fewViolations), fmt(highRho));
    }

    String finding3() {
        return String.format(java.util.Locale.ROOT,
                "Same definitions as finding 2, at each FGSM eps > 0. Supported (non-monotonic): at some non-flat eps more "
                        + "than half of the non-flat members have more than floor(%s x pairs) order violations, or the mean rho "
                        + "changes sign across eps (>= %s at one eps, <= -%s at another). Contradicted: at every non-flat eps "
                        + "every member is nearly monotonic in one shared direction and rho keeps its sign. Otherwise inconclusive.",
                fmt(fewViolations), fmt(signRho), fmt(signRho));
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
