package org.manifoldlab.core.spectrum;

/**
 * The smoothness bound of Stringer et al. (2019): a representation of a d-dimensional input
 * manifold can be smooth (differentiable) only if its spectrum decays at least as fast as
 * n^-(1 + 2/d). Below that the code is fractal: small input changes make large representation
 * changes.
 */
public final class Smoothness {

    private Smoothness() {
    }

    /** 1 + 2/d; d = infinity gives 1. */
    public static double threshold(double manifoldDim) {
        if (!(manifoldDim > 0)) {
            throw new IllegalArgumentException("manifold dimension d must be > 0 (or infinity), got " + manifoldDim);
        }
        return 1.0 + 2.0 / manifoldDim;
    }

    /** alpha - (1 + 2/d): positive when the spectrum decays fast enough for a smooth code. */
    public static double margin(double alpha, double manifoldDim) {
        return alpha - threshold(manifoldDim);
    }
}
