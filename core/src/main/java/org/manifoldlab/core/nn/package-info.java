/**
 * The local-error network: dense layers, fixed random readouts, softmax cross-entropy, the
 * local learning rules (fixed or trained readout, pred, sim, predsim), the local, layer-wise and
 * end-to-end training steps, optimizers, fingerprints of weights, and the plain training loop the
 * actor pipeline must equal bit for bit. Uses data, seed and spectrum (the spectral penalty);
 * must not import actors, config or cli.
 */
package org.manifoldlab.core.nn;
