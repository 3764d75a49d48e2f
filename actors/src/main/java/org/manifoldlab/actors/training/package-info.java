/**
 * The training pipeline: layer-group trainers chained by Forward messages, the batch feeder
 * and its credit window, the epoch ledger and snapshot collection. Must not import run,
 * analysis, attack or cluster: the supervisor above uses it, never the other way.
 */
package org.manifoldlab.actors.training;
