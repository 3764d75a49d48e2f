package org.manifoldlab.core.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-round attack checks on hand-made records whose flags are worked out in the comments. */
class AttackSanityTest {

    private static RobustnessRecord r(int layer, Attack attack, double plain, double robust) {
        return new RobustnessRecord(layer, attack, plain, robust, attack.strength(), 1.0, 2000, ClipRange.PIXELS, 1);
    }

    @Test
    void aHealthyRoundIsAllOk() {
        List<RobustnessRecord> round = List.of(
                r(1, new GaussianNoise(0), 0.95, 0.95), r(1, new GaussianNoise(0.1), 0.953, 0.93),  // +0.003: within the slack
                r(1, new Fgsm(0), 0.95, 0.95), r(1, new Fgsm(0.1), 0.20, 0.15), r(1, new Fgsm(0.2), 0.05, 0.02),
                r(1, Pgd.standard(0.1, 10), 0.10, 0.08));
        assertTrue(AttackSanity.check(round).isEmpty());
        round.forEach(x -> assertEquals("ok", AttackSanity.mark(x, List.of())));
    }

    @Test
    void accuracyRisingWithEpsAndPgdWeakerThanFgsmAreFlaggedOnTheirRows() {
        RobustnessRecord rising = r(2, new Fgsm(0.2), 0.30, 0.25);   // robust 0.25 > 0.15 + 0.005 at eps 0.1
        RobustnessRecord weakPgd = r(2, Pgd.standard(0.1, 10), 0.30, 0.20);  // 0.20 > FGSM's 0.15 + 0.005
        RobustnessRecord noisy = r(2, new GaussianNoise(0.3), 0.60, 0.50);   // plain 0.60 > 0.55 + 0.005 at sigma 0.1
        List<RobustnessRecord> round = List.of(r(2, new Fgsm(0.1), 0.20, 0.15), rising, weakPgd,
                r(2, new GaussianNoise(0.1), 0.55, 0.55), noisy,
                r(3, new Fgsm(0.1), 0.20, 0.15), r(3, new Fgsm(0.2), 0.10, 0.153));  // +0.003 at layer 3: within the slack
        List<AttackSanity.Warning> warnings = AttackSanity.check(round);
        assertEquals(3, warnings.size(), warnings.toString());
        assertEquals(AttackSanity.RISES_WITH_STRENGTH, AttackSanity.mark(rising, warnings));
        assertEquals(AttackSanity.PGD_ABOVE_FGSM, AttackSanity.mark(weakPgd, warnings));
        assertEquals(AttackSanity.RISES_WITH_STRENGTH, AttackSanity.mark(noisy, warnings));
        assertEquals("ok", AttackSanity.mark(round.get(0), warnings));
    }

    @Test
    void onlyTheSameLayerTargetAndParametersFormACurve() {
        // FGSM on labels at eps 0.1 and on predictions at eps 0.2 are different curves: no rise
        List<RobustnessRecord> round = List.of(r(1, new Fgsm(0.1, LabelTarget.LABEL), 0.2, 0.1),
                r(1, new Fgsm(0.2, LabelTarget.PREDICTION), 0.4, 0.3), r(2, new Fgsm(0.2, LabelTarget.LABEL), 0.4, 0.3));
        assertTrue(AttackSanity.check(round).isEmpty());
    }
}
