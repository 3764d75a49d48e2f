package org.manifoldlab.actors;

import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;

/** Small specs for actor tests, written as a user would write them. */
public final class TestSpecs {

    private TestSpecs() {
    }

    public static ExperimentSpec parse(String yaml) {
        try {
            return Specs.parseOne(yaml, false);
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
