/**
 * Plain numeric statistics for the report: average ranks, Spearman's rho with its permutation
 * test, the order-violation count behind "monotonic", Student's t and the mean with its
 * t-interval across seeds. No ND4J, no state, no randomness but a seeded local generator.
 */
package org.manifoldlab.core.stats;
