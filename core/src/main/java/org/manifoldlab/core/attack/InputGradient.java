package org.manifoldlab.core.attack;

import java.util.HashMap;
import java.util.Map;
import org.manifoldlab.core.nn.LocalLayer;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient of layer l's readout loss with respect to the network's input,
 * g_i = d CE(softmax(B_l h_l(x_i)), t_i) / d x_i, taken end to end back through layers l..1.
 * Training blocks gradients between layers; an attack does not. For a backprop-trained network
 * the natural attacked readout is the last one, {@code layer == depth}.
 *
 * <p>Works on a frozen network (a {@link Network#frozenCopy()}) whose layer buffers it owns:
 * {@link #forward} leaves every layer's activations in place, and {@link #gradient} only writes
 * the gradient buffers, so one forward serves the gradients of every layer up to where it went.
 * Row i of the result is the gradient of sample i's own loss (not of the batch mean).
 * Not thread safe: one instance per thread, as for the network it drives.
 */
public final class InputGradient {

    private final Network network;
    private final Map<Integer, INDArray> logitsByRows = new HashMap<>();
    private INDArray input;
    private int forwardedTo;

    /** @param frozen a network this instance may drive alone (its layer buffers are overwritten) */
    public InputGradient(Network frozen) {
        this.network = requireFrozen(frozen);
    }

    /** The network itself, after checking that no layer has an optimizer (a live network's buffers are the trainer's). */
    static Network requireFrozen(Network network) {
        for (LocalLayer layer : network.layers()) {
            if (!layer.updaters().isEmpty()) {
                throw new IllegalArgumentException("attacks need a frozen network (Network.frozenCopy()): layer "
                        + layer.index() + " has an optimizer");
            }
        }
        return network;
    }

    public Network network() {
        return network;
    }

    /** Frees the logits buffers and the network's layer buffers (not its weights) now; not used after. */
    public void release() {
        logitsByRows.values().forEach(INDArray::close);
        logitsByRows.clear();
        network.releaseBuffers();
        input = null;
        forwardedTo = 0;
    }

    /**
     * h_1 .. h_upTo of x, kept in the layers' buffers until the next forward.  x: [rows, inputs],
     * of the network's data type; it must not change until the last {@link #gradient} call.
     */
    public void forward(INDArray x, int upTo) {
        checkLayer(upTo);
        INDArray h = x;
        for (int l = 1; l <= upTo; l++) {
            h = network.layer(l).forward(h);
        }
        input = x;
        forwardedTo = upTo;
    }

    /**
     * After {@link #forward}(x, k) with k >= layer: row i of out = dCE(softmax(B_l h_l(x_i)), t_i)/dx_i.
     * targets: [rows]; out: [rows, inputs], not a view. The activations are left as they were.
     */
    public INDArray gradient(int layer, int[] targets, INDArray out) {
        requireForwarded(layer);
        int rows = input.rows();
        LocalLayer top = network.layer(layer);
        // dL/dh_l of the batch-mean loss into layer l's gradient buffer, then dz = dh * f'(z) and
        // dh_{k-1} = dz_k W_k^T down to the input (frozen layers compute no parameter gradients).
        top.readoutLoss(targets, true);
        for (int k = layer; k >= 1; k--) {
            INDArray below = k == 1 ? input : network.layer(k - 1).output();
            INDArray dBelow = k == 1 ? out : network.layer(k - 1).gradientBuffer();
            network.layer(k).backward(below, dBelow);
        }
        // The readout loss is the batch mean; sample i's own gradient is rows times its row.
        return out.muli(rows);
    }

    /** forward(x, layer) then gradient(layer, targets, out). */
    public INDArray compute(INDArray x, int layer, int[] targets, INDArray out) {
        forward(x, layer);
        return gradient(layer, targets, out);
    }

    /** After a forward through at least layer l: argmax(B_l h_l) of every row into out. */
    public void predictions(int layer, int[] out) {
        requireForwarded(layer);
        LocalLayer l = network.layer(layer);
        INDArray logits = logitsByRows.computeIfAbsent(input.rows(),
                r -> Nd4j.create(network.dataType(), new long[] {r, network.classes()}, 'c'));
        l.readout().logits(l.output(), logits);
        SoftmaxCrossEntropy.argmax(logits, out);
    }

    private void requireForwarded(int layer) {
        checkLayer(layer);
        if (input == null || layer > forwardedTo) {
            throw new IllegalStateException("layer " + layer + " needs a forward through it first (forwarded to "
                    + forwardedTo + ")");
        }
    }

    private void checkLayer(int layer) {
        if (layer < 1 || layer > network.depth()) {
            throw new IllegalArgumentException("layer " + layer + " outside 1.." + network.depth());
        }
    }
}
