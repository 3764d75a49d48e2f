package org.manifoldlab.core.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.manifoldlab.core.Gemm;
import org.manifoldlab.core.spectrum.SpectralPenalty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One hidden layer with its own fixed readout and local loss: the unit of local-error learning.
 * It owns its activations and gradient buffers (preallocated per batch size), so a step
 * allocates nothing. The usual local step is {@link #forward}, then {@link #learnLocally}: the
 * loss CE(softmax(h B), y) updates only this layer's W and b; its input is a constant.
 *
 * <p>A layer built with a trained readout (the output layer of a backprop network) also learns
 * B from dL/dB = h^T dL/dlogits; its updater follows W's and b's in {@link #updaters()}, so a
 * checkpoint keeps its state. Every other readout stays the fixed random matrix it was drawn as.
 *
 * <p>A layer built with {@link LearningRules} learns by its {@link LocalLoss} (a trained readout
 * B, as under {@code trained-readout}, {@code pred} and {@code predsim}, learns with the layer and
 * is kept the same way), and, when the spectral penalty covers it, adds weight * dP/dW and dP/db
 * of the penalty batch's spectrum ({@link #forwardPenaltyBatch}) to the step's gradient.
 */
public final class LocalLayer {

    private final int index;
    private final DenseLayer dense;
    private final LocalReadout readout;
    private final ParameterUpdater wUpdater;
    private final ParameterUpdater bUpdater;
    private final ParameterUpdater readoutUpdater;
    private final INDArray dw;
    private final INDArray db;
    private final INDArray dReadout;
    private final Map<Integer, Buffers> buffersByRows = new HashMap<>();
    private Buffers current;
    private final LocalLoss loss;
    private final double beta;
    private final SimilarityMatching similarity;
    private final int penaltyDepth;
    private final SpectralPenalty penalty;
    private final Map<Integer, Buffers> penaltyBuffersByRows = new HashMap<>();
    private final INDArray dwPenalty;
    private final INDArray dbPenalty;
    private Buffers penaltyCurrent;
    private INDArray penaltyInput;
    private boolean penaltyPending;

    /**
     * Activations and gradients for one batch size. h, dh: [rows, width]; logits: [rows, classes].
     * dh and the backward's scratch are made on first use: a frozen copy that only goes forward
     * (an attack round's evaluators, the activation streamer) never needs them, and at 1,000
     * rows of a 1,000-wide layer they are 8 MB a layer.
     */
    private static final class Buffers {
        final INDArray h;
        private INDArray dh;
        private INDArray scratch;
        final INDArray logits;
        final INDArray dlogits;

        Buffers(DataType type, int rows, int width, int classes) {
            // Activations in 'f' order: the gemms at small batch sizes run faster into them.
            h = Nd4j.create(type, new long[] {rows, width}, 'f');
            logits = Nd4j.create(type, new long[] {rows, classes}, 'c');
            dlogits = Nd4j.create(type, new long[] {rows, classes}, 'c');
        }

        INDArray dh() {
            if (dh == null) {
                dh = Nd4j.create(h.dataType(), h.shape(), 'f');
            }
            return dh;
        }

        INDArray scratch() {
            if (scratch == null) {
                scratch = Nd4j.create(h.dataType(), h.shape(), 'f');
            }
            return scratch;
        }

        boolean gradientBuffersMade() {
            return dh != null || scratch != null;
        }

        void close() {
            h.close();
            if (dh != null) {
                dh.close();
            }
            if (scratch != null) {
                scratch.close();
            }
            logits.close();
            dlogits.close();
        }
    }

    /**
     * @param index     the layer's number, from 1
     * @param optimizer null for a frozen layer (a snapshot): it can be evaluated and attacked, not trained
     */
    public LocalLayer(int index, DenseLayer dense, LocalReadout readout, Optimizer optimizer) {
        this(index, dense, readout, optimizer, false);
    }

    /** @param trainReadout whether B learns too (needs an optimizer): the output layer of a backprop network */
    public LocalLayer(int index, DenseLayer dense, LocalReadout readout, Optimizer optimizer, boolean trainReadout) {
        this(index, dense, readout, optimizer, trainReadout, LearningRules.DEFAULT);
    }

    /**
     * @param trainReadout whether B learns (the rule's choice, or backprop's output layer)
     * @param rules        the local loss, and the spectral penalty if it covers this layer
     */
    public LocalLayer(int index, DenseLayer dense, LocalReadout readout, Optimizer optimizer, boolean trainReadout,
                      LearningRules rules) {
        if (trainReadout && optimizer == null) {
            throw new IllegalArgumentException("layer " + index + ": a trained readout needs an optimizer");
        }
        this.index = index;
        this.dense = dense;
        this.readout = readout;
        if (optimizer != null) {
            this.wUpdater = optimizer.updaterFor(dense.w());
            this.bUpdater = optimizer.updaterFor(dense.b());
            this.dw = Nd4j.create(dense.w().dataType(), dense.w().shape(), dense.w().ordering());
            this.db = Nd4j.create(dense.b().dataType(), dense.b().shape(), dense.b().ordering());
        } else {
            this.wUpdater = null;
            this.bUpdater = null;
            this.dw = null;
            this.db = null;
        }
        if (trainReadout) {
            this.readoutUpdater = optimizer.updaterFor(readout.matrix());
            this.dReadout = Nd4j.create(readout.matrix().dataType(), readout.matrix().shape(), readout.matrix().ordering());
        } else {
            this.readoutUpdater = null;
            this.dReadout = null;
        }
        this.loss = rules.loss();
        this.beta = rules.beta();
        this.similarity = loss == LocalLoss.SIM || loss == LocalLoss.PREDSIM ? new SimilarityMatching(readout.classes()) : null;
        this.penaltyDepth = rules.penaltyDepth();
        boolean penalised = optimizer != null && rules.penalty() != null && rules.penalty().penalises(index);
        this.penalty = penalised ? new SpectralPenalty(rules.penalty(), dense.out()) : null;
        this.dwPenalty = penalised ? Nd4j.create(dense.w().dataType(), dense.w().shape(), dense.w().ordering()) : null;
        this.dbPenalty = penalised ? Nd4j.create(dense.b().dataType(), dense.b().shape(), dense.b().ordering()) : null;
    }

    /**
     * Frees the activation and gradient buffers this layer has made, now rather than when they
     * are collected; its weights (which a frozen copy shares with its snapshot) are untouched, and
     * a later forward makes new buffers. For a copy whose owner is done with it: what a forward
     * returned is invalid after.
     */
    public void releaseBuffers() {
        for (Map<Integer, Buffers> byRows : List.of(buffersByRows, penaltyBuffersByRows)) {
            byRows.values().forEach(Buffers::close);
            byRows.clear();
        }
        current = null;
        penaltyCurrent = null;
    }

    /** h = f(x W + b) into this layer's buffer, which stays valid until the next forward.  x: [rows, in]. */
    public INDArray forward(INDArray x) {
        int rows = (int) x.rows();
        current = buffersByRows.computeIfAbsent(rows,
                r -> new Buffers(dense.w().dataType(), r, dense.out(), readout.classes()));
        return dense.forward(x, current.h);
    }

    /**
     * The local step after {@link #forward}(x): loss at this layer's readout, gradient to W and b
     * only, optimizer update. Returns the loss and accuracy measured before the update.
     */
    public SoftmaxCrossEntropy.Tally learnLocally(INDArray x, int[] labels) {
        SoftmaxCrossEntropy.Tally tally = localLoss(labels, true);
        backward(x, null);
        if (penaltyPending) {
            addPenaltyGradient();
        }
        update();
        return tally;
    }

    /**
     * This layer's local loss on the last forward, by its rule; with gradient, dL/dh is left in
     * the gradient buffer and a trained readout's dL/dB kept (as {@link #readoutLoss}). The
     * tally's accuracy is always the readout's; its loss is the rule's.
     */
    public SoftmaxCrossEntropy.Tally localLoss(int[] labels, boolean gradient) {
        return switch (loss) {
            case FIXED_READOUT, TRAINED_READOUT, PRED -> readoutLoss(labels, gradient);
            case SIM -> {
                SoftmaxCrossEntropy.Tally accuracy = readoutLoss(labels, false);
                if (gradient) {
                    current.dh().assign(0);
                }
                double sim = similarity.evaluate(current.h, labels, gradient ? current.dh() : null, 1.0);
                yield new SoftmaxCrossEntropy.Tally(sim * labels.length, accuracy.correct(), accuracy.samples());
            }
            case PREDSIM -> {
                SoftmaxCrossEntropy.Tally pred = readoutLoss(labels, gradient, 1 - beta);
                double sim = similarity.evaluate(current.h, labels, gradient ? current.dh() : null, beta);
                yield new SoftmaxCrossEntropy.Tally((1 - beta) * pred.lossSum() + beta * sim * labels.length, pred.correct(),
                        pred.samples());
            }
        };
    }

    /**
     * h_p = f(x_p W + b) of the spectral penalty's batch, in buffers of its own (the step's batch
     * keeps its own); a penalised layer then adds the penalty's gradient at its next
     * {@link #learnLocally}. Returns h_p, valid until the next penalty batch.  x: [batch, in].
     */
    public INDArray forwardPenaltyBatch(INDArray x) {
        int rows = (int) x.rows();
        penaltyCurrent = penaltyBuffersByRows.computeIfAbsent(rows,
                r -> new Buffers(dense.w().dataType(), r, dense.out(), readout.classes()));
        penaltyInput = x;
        penaltyPending = penalty != null;
        return dense.forward(x, penaltyCurrent.h);
    }

    /** Whether the penalty batch must go forward through this layer (it is at or below the highest penalised layer). */
    public boolean feedsPenalty() {
        return index <= penaltyDepth;
    }

    /** Whether the layer above needs this layer's penalty batch output. */
    public boolean passesPenaltyBatch() {
        return index < penaltyDepth;
    }

    /** The penalty at this layer's last penalty batch (NaN before the first, or when not penalised). */
    public double lastPenalty() {
        return penalty == null ? Double.NaN : penalty.last();
    }

    /** weight * dP/dW and dP/db of the pending penalty batch, added to the gradients of the last backward. */
    private void addPenaltyGradient() {
        penalty.gradient(penaltyCurrent.h, penaltyCurrent.dh());
        dense.backward(penaltyInput, penaltyCurrent.h, penaltyCurrent.dh(), penaltyCurrent.scratch(), dwPenalty, dbPenalty, null);
        dw.addi(dwPenalty);
        db.addi(dbPenalty);
        penaltyPending = false;
    }

    /**
     * Loss and accuracy of this layer's readout on the last forward. With gradient, dL/dh is
     * left in this layer's gradient buffer for {@link #backward} (computed with B before its
     * update), and a trained readout's dL/dB is kept for {@link #update}.
     */
    public SoftmaxCrossEntropy.Tally readoutLoss(int[] labels, boolean gradient) {
        return readoutLoss(labels, gradient, 1.0);
    }

    /** As {@link #readoutLoss(int[], boolean)}, the gradients those of scale times the loss (scale 1: no extra op). */
    private SoftmaxCrossEntropy.Tally readoutLoss(int[] labels, boolean gradient, double scale) {
        readout.logits(current.h, current.logits);
        SoftmaxCrossEntropy.Tally tally = SoftmaxCrossEntropy.evaluate(current.logits, labels, labels,
                gradient ? current.dlogits : null);
        if (gradient && scale != 1.0) {
            current.dlogits.muli(scale);
        }
        if (gradient) {
            readout.backward(current.dlogits, current.dh());
            if (readoutUpdater != null) {
                Gemm.gemm(current.h, current.dlogits, dReadout, true, false, 1.0, 0.0);  // dL/dB = h^T dlogits
            }
        }
        return tally;
    }

    /**
     * Back through this layer from dL/dh in its gradient buffer (set by {@link #readoutLoss} or
     * written by the layer above into {@link #gradientBuffer()}): parameter gradients, and
     * dL/dx into dx when dx is not null. x is the input of the last forward.
     */
    public void backward(INDArray x, INDArray dx) {
        dense.backward(x, current.h, current.dh(), current.scratch(), dw, db, dx);
    }

    /** Applies the optimizer to the gradients of the last backward (and to a trained readout's). */
    public void update() {
        if (wUpdater == null) {
            throw new IllegalStateException("layer " + index + " is frozen");
        }
        wUpdater.apply(dense.w(), dw);
        bUpdater.apply(dense.b(), db);
        if (readoutUpdater != null) {
            readoutUpdater.apply(readout.matrix(), dReadout);
        }
    }

    /** Whether this layer's readout B learns (the output layer of a backprop network). */
    public boolean readoutTrained() {
        return readoutUpdater != null;
    }

    /** dL/dh for the last forward's batch; the layer above writes its dx here in backprop. */
    public INDArray gradientBuffer() {
        return current.dh();
    }

    /** The output of the last forward. */
    public INDArray output() {
        return current.h;
    }

    public int index() {
        return index;
    }

    public DenseLayer dense() {
        return dense;
    }

    public LocalReadout readout() {
        return readout;
    }

    /** Optimizer updaters for W, b, then B when the readout is trained (empty when frozen). */
    public List<ParameterUpdater> updaters() {
        if (wUpdater == null) {
            return List.of();
        }
        return readoutUpdater == null ? List.of(wUpdater, bUpdater) : List.of(wUpdater, bUpdater, readoutUpdater);
    }

    /** Whether any batch size's dL/dh or scratch buffer has been made (for tests: a forward-only copy makes none). */
    boolean gradientBuffersMade() {
        return buffersByRows.values().stream().anyMatch(Buffers::gradientBuffersMade)
                || penaltyBuffersByRows.values().stream().anyMatch(Buffers::gradientBuffersMade);
    }

    /** The weight gradient of the last backward (for gradient checks). */
    INDArray weightGradient() {
        return dw;
    }

    /** The bias gradient of the last backward (for gradient checks). */
    INDArray biasGradient() {
        return db;
    }

    /** dL/dB of the last readoutLoss with gradient, for a trained readout (for gradient checks). */
    INDArray readoutGradient() {
        return dReadout;
    }

    /** The pending penalty's weight gradient alone (for gradient checks). */
    INDArray penaltyWeightGradient() {
        return dwPenalty;
    }

    public LocalLoss loss() {
        return loss;
    }

    /**
     * A frozen layer with its own activation buffers. The weights and readout are copied from a
     * layer that learns, and shared with one that is frozen already: nothing writes a frozen
     * layer's weights (they are only read, by gemms on any thread), so an analysis round's
     * streamer, attackers and evaluator all read the one snapshot instead of four copies of it.
     */
    public LocalLayer frozenCopy() {
        if (wUpdater == null) {
            return new LocalLayer(index, dense, readout, null);
        }
        return new LocalLayer(index, dense.copy(), new LocalReadout(readout.matrix().dup('c')), null);
    }
}
