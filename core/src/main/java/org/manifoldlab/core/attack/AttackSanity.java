package org.manifoldlab.core.attack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks one round's robustness records against what a working attack must show, so a broken
 * attack (a sign error, a gradient lost to rounding, a step too small to leave the start) is
 * flagged where it is measured:
 * <ul>
 * <li>{@link #RISES_WITH_STRENGTH}: at one layer, with every other parameter equal, the
 *     accuracy the claims use (plain under noise, robust under FGSM and PGD) must not rise as
 *     sigma or eps grows;</li>
 * <li>{@link #PGD_ABOVE_FGSM}: PGD's robust accuracy must not exceed FGSM's at the same eps,
 *     layer and label target (PGD is the stronger attack).</li>
 * </ul>
 * Both allow a slack of {@link #SLACK} (10 of 2,000 probes): noise fixes a few wrong probes,
 * and a 10-step PGD from a random start can miss a probe FGSM's single step catches.
 */
public final class AttackSanity {

    public static final double SLACK = 0.005;
    public static final String RISES_WITH_STRENGTH = "accuracy-rises-with-strength";
    public static final String PGD_ABOVE_FGSM = "pgd-above-fgsm";

    /** One flagged record and why, in words for the log. */
    public record Warning(RobustnessRecord record, String check, String detail) {
    }

    private AttackSanity() {
    }

    /** The accuracy a check compares: plain under noise, robust under gradient attacks. */
    static double measured(RobustnessRecord r) {
        return r.attack() instanceof GaussianNoise ? r.accuracy() : r.robustAccuracy();
    }

    public static List<Warning> check(List<RobustnessRecord> records) {
        List<Warning> out = new ArrayList<>();
        Map<List<Object>, List<RobustnessRecord>> curves = new LinkedHashMap<>();
        for (RobustnessRecord r : records) {
            curves.computeIfAbsent(List.of(r.layer(), r.attack().withStrength(0)), k -> new ArrayList<>()).add(r);
        }
        for (List<RobustnessRecord> curve : curves.values()) {
            curve.sort(Comparator.comparingDouble(RobustnessRecord::strength));
            for (int i = 1; i < curve.size(); i++) {
                RobustnessRecord lower = curve.get(i - 1);
                RobustnessRecord higher = curve.get(i);
                if (measured(higher) > measured(lower) + SLACK) {
                    out.add(new Warning(higher, RISES_WITH_STRENGTH, String.format(java.util.Locale.ROOT,
                            "layer %d, %s: accuracy %.4f above %.4f at strength %s", higher.layer(), higher.attack().describe(),
                            measured(higher), measured(lower), lower.strength())));
                }
            }
        }
        for (RobustnessRecord pgd : records) {
            if (!(pgd.attack() instanceof Pgd p)) {
                continue;
            }
            for (RobustnessRecord fgsm : records) {
                if (fgsm.attack() instanceof Fgsm f && f.eps() == p.eps() && f.labelTarget() == p.labelTarget()
                        && fgsm.layer() == pgd.layer() && pgd.robustAccuracy() > fgsm.robustAccuracy() + SLACK) {
                    out.add(new Warning(pgd, PGD_ABOVE_FGSM, String.format(java.util.Locale.ROOT,
                            "layer %d, %s: robust accuracy %.4f above FGSM's %.4f", pgd.layer(), pgd.attack().describe(),
                            pgd.robustAccuracy(), fgsm.robustAccuracy())));
                }
            }
        }
        return out;
    }

    /** The mark of one row: "ok", or the failed checks joined by '+' (no commas: it is a CSV cell). */
    public static String mark(RobustnessRecord record, List<Warning> warnings) {
        List<String> checks = warnings.stream().filter(w -> Objects.equals(w.record(), record)).map(Warning::check).distinct().toList();
        return checks.isEmpty() ? "ok" : String.join("+", checks);
    }
}
