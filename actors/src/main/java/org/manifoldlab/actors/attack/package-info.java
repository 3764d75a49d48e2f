/**
 * Attack rounds: attacker workers perturb clean probe batches of a frozen snapshot and stream
 * them to an evaluator that tallies accuracy per layer and strength. Must not import cluster or
 * analysis.
 */
package org.manifoldlab.actors.attack;
