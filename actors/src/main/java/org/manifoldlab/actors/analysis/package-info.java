/**
 * An analysis point: an analysis round streams the probe set through a frozen snapshot to
 * analyzer actors that build each layer's spectrum in place, evaluates test accuracy, runs the
 * attack round, and hands the rows to the recorder. Must not import cluster.
 */
package org.manifoldlab.actors.analysis;
