/**
 * Intrinsic dimension of a point cloud (input probes or a layer's representation) from nearest
 * neighbours: {@link org.manifoldlab.core.manifold.TwoNn} (Facco et al. 2017) and the
 * Levina-Bickel MLE ({@link org.manifoldlab.core.manifold.LevinaBickel}), each with a
 * delete-a-group jackknife interval. Uses {@code core.spectrum} (its {@code ProbeRows} and
 * {@code Interval}); {@code core.spectrum} must not import this package. No actors.
 */
package org.manifoldlab.core.manifold;
