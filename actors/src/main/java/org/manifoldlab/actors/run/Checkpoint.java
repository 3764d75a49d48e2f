package org.manifoldlab.actors.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.MetricsTally;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.ParameterUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a run needs to continue exactly where it was: the weights and optimizer state of
 * every layer after {@code epoch} whole epochs, the global step counter, and how many data rows
 * each metrics file held. Random streams need no state: each is derived from (seed, purpose,
 * index), and the batch order of an epoch from (seed, epoch).
 *
 * @param layers frozen copies of every layer (weights, bias, readout), layer 1 first
 * @param optimizerState per layer: copies of its updaters' state arrays (W's, then b's)
 * @param optimizerSteps per layer: the update count of W's and b's updaters
 * @param metricsRows data rows (header excluded) of each metrics file, by file name
 * @param position    batches of epoch {@code epoch + 1} already trained (0 at an epoch's end)
 * @param partial     that epoch's running loss and accuracy sums so far (null at an epoch's end)
 */
public record Checkpoint(int epoch, long step, List<LocalLayer> layers, List<List<INDArray>> optimizerState,
                         List<long[]> optimizerSteps, Map<String, Long> metricsRows, int restarts, int position,
                         MetricsTally.State partial) {

    /** A checkpoint at the end of epoch {@code epoch}. */
    public Checkpoint(int epoch, long step, List<LocalLayer> layers, List<List<INDArray>> optimizerState,
                      List<long[]> optimizerSteps, Map<String, Long> metricsRows, int restarts) {
        this(epoch, step, layers, optimizerState, optimizerSteps, metricsRows, restarts, 0, null);
    }

    /** The same checkpoint with the metrics row counts filled in. */
    public Checkpoint withRows(Map<String, Long> rows) {
        return new Checkpoint(epoch, step, layers, optimizerState, optimizerSteps, rows, restarts, position, partial);
    }

    /** The state before any training: the initial weights, optimizer state all zero. */
    public static Checkpoint initial(Network network) {
        List<List<INDArray>> state = new ArrayList<>();
        List<long[]> steps = new ArrayList<>();
        for (LocalLayer l : network.layers()) {
            state.add(l.updaters().stream().flatMap(u -> u.stateCopy().stream()).toList());
            steps.add(new long[l.updaters().size()]);
        }
        return new Checkpoint(0, 0, network.frozenCopy().layers(), state, steps, Map.of(), 0);
    }

    /** Writes this checkpoint's weights and optimizer state into a freshly created network's layers. */
    public void restoreInto(List<LocalLayer> target) {
        if (target.size() != layers.size()) {
            throw new IllegalArgumentException("checkpoint has " + layers.size() + " layers, network " + target.size());
        }
        for (int i = 0; i < layers.size(); i++) {
            LocalLayer from = layers.get(i);
            LocalLayer to = target.get(i);
            to.dense().w().assign(from.dense().w());
            to.dense().b().assign(from.dense().b());
            to.readout().matrix().assign(from.readout().matrix());  // changes only a trained readout (backprop's output layer)
            List<ParameterUpdater> updaters = to.updaters();
            List<INDArray> state = optimizerState.get(i);
            int k = 0;
            for (int u = 0; u < updaters.size(); u++) {
                int arrays = updaters.get(u).stateArrays();
                updaters.get(u).restore(state.subList(k, k + arrays), optimizerSteps.get(i)[u]);
                k += arrays;
            }
        }
    }
}
