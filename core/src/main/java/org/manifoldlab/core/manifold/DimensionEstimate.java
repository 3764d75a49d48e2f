package org.manifoldlab.core.manifold;

import org.manifoldlab.core.spectrum.Interval;

/**
 * One intrinsic-dimension estimate with what produced it.
 *
 * @param method   "twonn" or "levina-bickel"
 * @param d        the estimate and its 95% jackknife interval
 * @param points   points that entered the estimate
 * @param excluded points left out because a duplicate sits at distance 0
 * @param blocks   jackknife blocks
 */
public record DimensionEstimate(String method, Interval d, int points, int excluded, int blocks) {

    public double value() {
        return d.estimate();
    }
}
