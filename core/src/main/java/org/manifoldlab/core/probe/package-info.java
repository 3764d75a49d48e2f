/**
 * Linear probes (Alain and Bengio 2016): a softmax readout trained on each frozen hidden layer
 * after training, with its own test accuracy, so the hidden layers of local-error and backprop
 * networks are compared on equal terms. Numerics only: imports core.nn, core.data and
 * core.seed, no actors and no files.
 */
package org.manifoldlab.core.probe;
