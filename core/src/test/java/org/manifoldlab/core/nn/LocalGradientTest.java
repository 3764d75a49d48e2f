package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.manifoldlab.core.seed.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Analytic gradients against central finite differences, in double precision. */
class LocalGradientTest {

    private static final int ROWS = 5;
    private static final double H = 1e-6;

    static INDArray randomInput(int rows, int features, long seed) {
        SplittableRandom r = Seeds.stream(seed, "test-input", 0);
        double[] v = new double[rows * features];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, new long[] {rows, features}, 'c');
    }

    static int[] randomLabels(int rows, int classes, long seed) {
        SplittableRandom r = Seeds.stream(seed, "test-labels", 0);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    private static Network network(Activation activation) {
        return network(activation, TrainingMode.LOCAL);
    }

    private static Network network(Activation activation, TrainingMode mode) {
        Network.Shape shape = new Network.Shape(7, new int[] {6, 5, 4}, 3, activation, 1.0);
        return Network.create(shape, new SgdMomentum(0.1, 0.0), DataType.DOUBLE, 42, mode);
    }

    @Test
    void localGradientOfEveryLayerMatchesFiniteDifferences() {
        for (Activation activation : Activation.values()) {
            Network net = network(activation);
            INDArray x = randomInput(ROWS, 7, 1);
            int[] y = randomLabels(ROWS, 3, 2);
            INDArray input = x;
            for (LocalLayer layer : net.layers()) {
                INDArray in = input.dup();
                layer.forward(in);
                layer.readoutLoss(y, true);
                layer.backward(in, null);
                INDArray dw = layer.weightGradient().dup();
                INDArray db = layer.biasGradient().dup();
                assertClose(dw, numeric(layer.dense().w(), () -> localLoss(layer, in, y)), activation + " dW" + layer.index());
                assertClose(db, numeric(layer.dense().b(), () -> localLoss(layer, in, y)), activation + " db" + layer.index());
                input = layer.forward(in).dup();
            }
        }
    }

    @Test
    void backpropGradientOfEveryLayerMatchesFiniteDifferences() {
        for (Activation activation : Activation.values()) {
            Network net = network(activation, TrainingMode.BACKPROP);
            INDArray x = randomInput(ROWS, 7, 3);
            int[] y = randomLabels(ROWS, 3, 4);
            int depth = net.depth();
            forwardAll(net, x);
            net.layer(depth).readoutLoss(y, true);
            for (int l = depth; l >= 1; l--) {
                INDArray in = l == 1 ? x : net.layer(l - 1).output();
                net.layer(l).backward(in, l == 1 ? null : net.layer(l - 1).gradientBuffer());
            }
            for (LocalLayer layer : net.layers()) {
                INDArray dw = layer.weightGradient().dup();
                INDArray db = layer.biasGradient().dup();
                assertClose(dw, numeric(layer.dense().w(), () -> endToEndLoss(net, x, y)), activation + " dW" + layer.index());
                assertClose(db, numeric(layer.dense().b(), () -> endToEndLoss(net, x, y)), activation + " db" + layer.index());
            }
            LocalLayer last = net.layer(depth);
            assertTrue(last.readoutTrained() && net.layers().stream().filter(LocalLayer::readoutTrained).count() == 1,
                    "backprop trains the output readout and no other");
            INDArray dReadout = last.readoutGradient().dup();
            assertClose(dReadout, numeric(last.readout().matrix(), () -> endToEndLoss(net, x, y)), activation + " dB" + depth);
        }
    }

    /** One backprop step moves the output readout by the optimizer's step along -dL/dB (SGD without momentum: exactly lr dB). */
    @Test
    void backpropStepUpdatesTheOutputReadoutAlongItsGradient() {
        Network net = network(Activation.RELU, TrainingMode.BACKPROP);
        INDArray x = randomInput(ROWS, 7, 5);
        int[] y = randomLabels(ROWS, 3, 6);
        INDArray before = net.layer(net.depth()).readout().matrix().dup();
        INDArray hiddenBefore = net.layer(1).readout().matrix().dup();
        forwardAll(net, x);
        net.layer(net.depth()).readoutLoss(y, true);
        INDArray expected = before.sub(net.layer(net.depth()).readoutGradient().mul(0.1));
        TrainingStep.run(TrainingMode.BACKPROP, net.layers(), x, y, 0, (l, t) -> { });
        assertClose(expected, net.layer(net.depth()).readout().matrix(), "B after one SGD step");
        assertTrue(hiddenBefore.equals(net.layer(1).readout().matrix()), "a hidden layer's readout stays fixed");
    }

    private static void forwardAll(Network net, INDArray x) {
        INDArray h = x;
        for (LocalLayer layer : net.layers()) {
            h = layer.forward(h);
        }
    }

    private static double localLoss(LocalLayer layer, INDArray x, int[] y) {
        layer.forward(x);
        return layer.readoutLoss(y, false).lossSum() / x.rows();
    }

    private static double endToEndLoss(Network net, INDArray x, int[] y) {
        forwardAll(net, x);
        return net.layer(net.depth()).readoutLoss(y, false).lossSum() / x.rows();
    }

    /** Central differences of the loss with respect to every entry of param. */
    static INDArray numeric(INDArray param, java.util.function.DoubleSupplier loss) {
        INDArray grad = Nd4j.create(DataType.DOUBLE, param.shape(), 'c');
        for (long i = 0; i < param.length(); i++) {
            double w = param.getDouble(i);
            param.putScalar(i, w + H);
            double up = loss.getAsDouble();
            param.putScalar(i, w - H);
            double down = loss.getAsDouble();
            param.putScalar(i, w);
            grad.putScalar(i, (up - down) / (2 * H));
        }
        return grad;
    }

    /** Relative error |a - n| / max(|a| + |n|, 1e-8) below 1e-4 for every entry. */
    static void assertClose(INDArray analytic, INDArray numeric, String what) {
        double worst = 0;
        for (long i = 0; i < analytic.length(); i++) {
            double a = analytic.getDouble(i);
            double n = numeric.getDouble(i);
            worst = Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-8));
        }
        assertTrue(worst < 1e-4, what + ": worst relative error " + worst);
    }
}
