package org.manifoldlab.actors.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.manifoldlab.actors.Compute;
import org.manifoldlab.config.AttacksSpec;
import org.manifoldlab.core.attack.Attack;
import org.manifoldlab.core.attack.Fgsm;
import org.manifoldlab.core.attack.GaussianNoise;
import org.manifoldlab.core.attack.LabelTarget;
import org.manifoldlab.core.attack.Pgd;

/** The spec's attack grids as core's attacks, and the layers they target. */
public final class AttackPlan {

    /**
     * Probe rows per attack job: twice the streamed chunk. Nearly all of a job's time is gemms of
     * this many rows (PGD's ten forward and backward passes, the tallies' forwards), which run a
     * little faster at 1,000 rows than at 500 (339 against 328 GFLOP/s for two at once here,
     * bench/run GemmSpeed), and half as many jobs halve the per-job work around them: the default
     * run took 5% less CPU (97 against 102 s, 3 runs each). The default 2,000 probes still make
     * one job per attacker. Only the last bits of the mean L2 norm depend on it (it is summed per
     * batch); the accuracies do not.
     */
    public static final int BATCH_ROWS = 2 * Compute.PROBE_CHUNK_ROWS;

    private AttackPlan() {
    }

    public static List<Attack> attacks(AttacksSpec spec) {
        List<Attack> out = new ArrayList<>();
        spec.gaussian().sigmas().forEach(s -> out.add(new GaussianNoise(s, spec.gaussian().clip())));
        LabelTarget fgsmTarget = LabelTarget.valueOf(spec.fgsm().target().name());
        spec.fgsm().epsilons().forEach(e -> out.add(new Fgsm(e, fgsmTarget)));
        AttacksSpec.Pgd pgd = spec.pgd();
        pgd.epsilons().forEach(e -> out.add(new Pgd(e, pgd.stepSize(), pgd.steps(), pgd.randomStart(), fgsmTarget, pgd.restarts())));
        return out;
    }

    public static int[] layers(int depth) {
        return IntStream.rangeClosed(1, depth).toArray();
    }

    /** Perturbed batches one job (one probe batch) produces: noise once for all layers, the rest per layer. */
    public static int setsPerBatch(List<Attack> attacks, int depth) {
        return (int) attacks.stream().mapToLong(a -> a.perLayer() ? depth : 1).sum();
    }
}
