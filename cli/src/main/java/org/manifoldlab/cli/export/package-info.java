/**
 * lab export and lab clean: many runs in one tidy CSV for pandas or R, one run's weights and
 * activations as numpy arrays, and the removal of completed runs' checkpoints. Must not import
 * Pekko: it reads run directories only.
 */
package org.manifoldlab.cli.export;
