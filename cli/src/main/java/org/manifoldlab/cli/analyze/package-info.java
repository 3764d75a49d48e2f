/**
 * {@code lab analyze}: the spectrum analysis of an activation matrix brought from any framework
 * ({@link org.manifoldlab.cli.analyze.NpyReader} for .npy, {@link org.manifoldlab.cli.analyze.CsvMatrix}
 * for CSV). Uses core's spectrum and manifold packages; no actors, no run directory.
 */
package org.manifoldlab.cli.analyze;
