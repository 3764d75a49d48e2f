/**
 * Plain numeric statistics for the report: average ranks, Spearman's rho with its permutation
 * test, the order-violation count, Student's t and the mean with its t-interval across seeds,
 * and the seed-level layer-order test the verdicts use: a hierarchical bootstrap of paired
 * layer differences (seeds, then probes within a seed), Holm's correction, exact binomial draws. No ND4J, no state, no randomness but a seeded local generator.
 */
package org.manifoldlab.core.stats;
