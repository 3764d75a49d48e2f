/**
 * Eigen-spectra of hidden representations: the covariance of a layer's activations over a probe
 * set, streamed batch by batch ({@link org.manifoldlab.core.spectrum.CovarianceAccumulator}), its
 * eigenvalues ({@link org.manifoldlab.core.spectrum.Spectrum}), the power-law exponent alpha
 * ({@link org.manifoldlab.core.spectrum.PowerLawFit}), the participation ratio, and the smoothness
 * margin alpha - (1 + 2/d) ({@link org.manifoldlab.core.spectrum.Smoothness}), jackknife intervals
 * over probe blocks ({@link org.manifoldlab.core.spectrum.SpectrumJackknife}), summarised with
 * their provenance in {@link org.manifoldlab.core.spectrum.LayerSpectrum}, and the spectral penalty
 * that pulls a spectrum toward a chosen power law, with its gradient through the eigendecomposition
 * ({@link org.manifoldlab.core.spectrum.SpectralPenalty}). Plain Java and BLAS;
 * no actors. Must not import {@code core.manifold}, which builds on this package.
 */
package org.manifoldlab.core.spectrum;
