package org.manifoldlab.core.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A stack of {@link LocalLayer}s: h_l = f(W_l h_{l-1} + b_l), each with its own fixed readout B_l. */
public final class Network {

    private final int inputs;
    private final int classes;
    private final List<LocalLayer> layers;
    private final LearningRules rules;

    public Network(int inputs, int classes, List<LocalLayer> layers) {
        this(inputs, classes, layers, LearningRules.DEFAULT);
    }

    private Network(int inputs, int classes, List<LocalLayer> layers, LearningRules rules) {
        this.inputs = inputs;
        this.classes = classes;
        this.layers = List.copyOf(layers);
        this.rules = rules;
    }

    /** How the layers learn (the default for a frozen or restored network). */
    public LearningRules rules() {
        return rules;
    }

    /** The architecture of a network, independent of its weights. */
    public record Shape(int inputs, int[] widths, int classes, Activation activation, double readoutScale) {
    }

    /**
     * Weights from (seed, "init", l), readouts from (seed, "readout", l), l = 1..L.
     * optimizer may be null for a network that is only evaluated. Every readout stays fixed:
     * a network for {@link TrainingMode#BACKPROP} comes from {@link #create(Shape, Optimizer, DataType, long, TrainingMode)}.
     */
    public static Network create(Shape shape, Optimizer optimizer, DataType type, long seed) {
        return create(shape, optimizer, type, seed, TrainingMode.LOCAL);
    }

    /**
     * As {@link #create(Shape, Optimizer, DataType, long)}; under BACKPROP the output layer's
     * readout B_L learns with the rest (it starts from the same random draw), so backprop is an
     * end-to-end trained baseline and not a network judged through a random output projection.
     */
    public static Network create(Shape shape, Optimizer optimizer, DataType type, long seed, TrainingMode mode) {
        return create(shape, optimizer, type, seed, mode, LearningRules.DEFAULT);
    }

    /**
     * As {@link #create(Shape, Optimizer, DataType, long, TrainingMode)}, each hidden layer learning
     * by the rules: a rule that trains the readout trains every layer's B (from zero under pred and
     * predsim, else from its random draw), and the penalised layers carry the spectral penalty.
     */
    public static Network create(Shape shape, Optimizer optimizer, DataType type, long seed, TrainingMode mode, LearningRules rules) {
        if (mode == TrainingMode.BACKPROP && (rules.loss() != LocalLoss.FIXED_READOUT || rules.penalty() != null)) {
            throw new IllegalArgumentException("backprop has one loss, at the output: the local rules and the spectral penalty are for"
                    + " local and layerwise training");
        }
        List<LocalLayer> layers = new ArrayList<>();
        int in = shape.inputs();
        for (int l = 1; l <= shape.widths().length; l++) {
            int width = shape.widths()[l - 1];
            DenseLayer dense = DenseLayer.initialise(in, width, shape.activation(), type, seed, l);
            LocalReadout readout = rules.loss().readoutFromZero() ? LocalReadout.zeros(width, shape.classes(), type)
                    : LocalReadout.random(width, shape.classes(), shape.readoutScale(), type, seed, l);
            boolean trainReadout = optimizer != null
                    && (mode == TrainingMode.BACKPROP && l == shape.widths().length || rules.loss().trainsReadout());
            layers.add(new LocalLayer(l, dense, readout, optimizer, trainReadout, rules));
            in = width;
        }
        return new Network(shape.inputs(), shape.classes(), layers, rules);
    }

    /** Layer l, counted from 1. */
    public LocalLayer layer(int l) {
        return layers.get(l - 1);
    }

    public List<LocalLayer> layers() {
        return layers;
    }

    public int depth() {
        return layers.size();
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    public DataType dataType() {
        return layers.get(0).dense().w().dataType();
    }

    /** Trainable parameters (weights and biases). */
    public long parameterCount() {
        return layers.stream().mapToLong(l -> l.dense().w().length() + l.dense().b().length()).sum();
    }

    /**
     * A frozen network for analysis and attacks, with its own activation buffers: independent of
     * a network that learns (its weights are copied), sharing the weights of a frozen one.
     */
    public Network frozenCopy() {
        return new Network(inputs, classes, layers.stream().map(LocalLayer::frozenCopy).toList());
    }

    /**
     * Frees every layer's activation and gradient buffers now (not the weights): for a frozen
     * copy whose owner has finished with it, so the next copy reuses the memory instead of
     * mapping new pages while this one waits for a collection.
     */
    public void releaseBuffers() {
        layers.forEach(LocalLayer::releaseBuffers);
    }

    /** SHA-256 over every layer's W, b and B_l, as little-endian values in 'c' order. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (LocalLayer layer : layers) {
                update(digest, layer.dense().w());
                update(digest, layer.dense().b());
                update(digest, layer.readout().matrix());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The values as little-endian bytes, through one 256 kB chunk (no heap copy of the whole array). */
    private static void update(MessageDigest digest, INDArray a) {
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        ByteBuffer chunk = ByteBuffer.allocate(1 << 18).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) c.length();
        if (c.dataType() == DataType.FLOAT) {
            FloatBuffer values = c.data().asNioFloat();
            FloatBuffer floats = chunk.asFloatBuffer();
            for (int from = 0; from < n; from += floats.capacity()) {
                int len = Math.min(floats.capacity(), n - from);
                floats.put(0, values, from, len);
                digest.update(chunk.array(), 0, 4 * len);
            }
        } else {
            DoubleBuffer values = c.data().asNioDouble();
            DoubleBuffer doubles = chunk.asDoubleBuffer();
            for (int from = 0; from < n; from += doubles.capacity()) {
                int len = Math.min(doubles.capacity(), n - from);
                doubles.put(0, values, from, len);
                digest.update(chunk.array(), 0, 8 * len);
            }
        }
    }
}
