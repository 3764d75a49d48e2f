package org.manifoldlab.core.manifold;

import org.manifoldlab.core.spectrum.ProbeRows;

/** Both estimates of a point cloud from one neighbour search (k = 20). */
public record IntrinsicDimension(DimensionEstimate twoNn, DimensionEstimate levinaBickel) {

    /** TwoNN and Levina-Bickel of the rows [n, width], jackknife over blocks (about 20); n > 20. */
    public static IntrinsicDimension of(ProbeRows rows, int blocks) {
        int k = LevinaBickel.K_MAX;
        double[] distances = NearestNeighbours.distances(rows, k);  // [n, 20]
        return new IntrinsicDimension(TwoNn.fromDistances(distances, rows.rows(), k, blocks),
                LevinaBickel.fromDistances(distances, rows.rows(), k, blocks));
    }
}
