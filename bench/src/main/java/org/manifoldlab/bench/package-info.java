/**
 * Benchmarks that print figures (samples per second, GFLOP/s, ratios), never assertions: the
 * training loop, the actor pipeline, spectra, attacks, concurrency and overheads. Must not import
 * cli.
 */
package org.manifoldlab.bench;
