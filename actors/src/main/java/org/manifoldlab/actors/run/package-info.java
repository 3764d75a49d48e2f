/**
 * One experiment's life and its run directory: the scheduler that admits experiments, the
 * supervisor and the epoch loop it routes to, the journal and the recorder that write the run
 * directory, checkpoints, resume, the run lock and the checks made before anything runs. Must
 * not import cluster.
 */
package org.manifoldlab.actors.run;
