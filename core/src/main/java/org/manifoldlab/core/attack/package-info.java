/**
 * Perturbations of probe batches (Gaussian noise, FGSM, PGD) and their evaluation at every
 * layer's readout: input gradients end to end through layers 1..l, clipping to the data's range,
 * tallies of accuracy. Uses nn and data; must not import actors, config or cli.
 */
package org.manifoldlab.core.attack;
