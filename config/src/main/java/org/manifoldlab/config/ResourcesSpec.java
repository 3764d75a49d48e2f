package org.manifoldlab.config;

/**
 * @param analyzers analyzer actors sharing the probe set at an analysis point
 * @param attackers attacker actors sharing the attack grid
 */
public record ResourcesSpec(int analyzers, int attackers) {

    public static final ResourcesSpec DEFAULTS = new ResourcesSpec(2, 2);

    void validate(Validation v) {
        v.check(analyzers >= 1, "resources.analyzers", "a positive integer", analyzers);
        v.check(attackers >= 1, "resources.attackers", "a positive integer", attackers);
    }
}
