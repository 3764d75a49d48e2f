/**
 * The local-error network: dense layers, fixed random readouts, softmax cross-entropy, the
 * local, layer-wise and end-to-end training steps, optimizers, fingerprints of weights, and the
 * plain training loop the actor pipeline must equal bit for bit. Uses data and seed; must not
 * import actors, config or cli.
 */
package org.manifoldlab.core.nn;
