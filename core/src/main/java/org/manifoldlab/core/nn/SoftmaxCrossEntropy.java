package org.manifoldlab.core.nn;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean softmax cross-entropy over a batch, its gradient with respect to the logits, and the
 * number of correct argmax predictions. A batch has rows x classes logits (640 at batch 64),
 * so one pass in Java over the buffer beats several native ops.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /** The loss summed over the batch and the count of correct predictions. */
    public record Tally(double lossSum, int correct, int samples) {
    }

    /**
     * logits: [rows, classes] in 'c' order. When dlogits is not null it receives
     * dL/dlogits = (softmax(logits) - onehot(target)) / rows, the gradient of the mean loss.
     * Accuracy counts argmax(logits) == labels; the loss and gradient use targets.
     */
    public static Tally evaluate(INDArray logits, int[] labels, int[] targets, INDArray dlogits) {
        requireRowMajor(logits);
        int rows = (int) logits.rows();
        int classes = (int) logits.columns();
        DataBuffer in = logits.data();
        DataBuffer grad = dlogits == null ? null : requireRowMajor(dlogits).data();
        double lossSum = 0;
        int correct = 0;
        double[] p = new double[classes];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * classes;
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = in.getDouble(base + c);
                if (p[c] > max) {
                    max = p[c];
                    argmax = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(p[c] - max);
                sum += p[c];
            }
            int t = targets[r];
            lossSum += Math.log(sum) - (in.getDouble(base + t) - max);  // -log softmax_t
            if (argmax == labels[r]) {
                correct++;
            }
            if (grad != null) {
                // p_t - 1 = -(sum of the other classes' p) / sum: written so, it keeps its precision
                // when p_t is within 1e-16 of 1 (logit margins above ~35, common in trained deep
                // layers), where p_t / sum - 1 cancels to 0 and would lose the true class's term of
                // the input gradient that attacks follow.
                double others = 0;
                for (int c = 0; c < classes; c++) {
                    if (c != t) {
                        others += p[c];
                        grad.put(base + c, p[c] / sum / rows);
                    }
                }
                grad.put(base + t, -others / sum / rows);
            }
        }
        return new Tally(lossSum, correct, rows);
    }

    /** Row-wise argmax of logits [rows, classes] ('c' order) into out. */
    public static void argmax(INDArray logits, int[] out) {
        requireRowMajor(logits);
        int rows = (int) logits.rows();
        int classes = (int) logits.columns();
        DataBuffer in = logits.data();
        for (int r = 0; r < rows; r++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double v = in.getDouble((long) r * classes + c);
                if (v > max) {
                    max = v;
                    best = c;
                }
            }
            out[r] = best;
        }
    }

    private static INDArray requireRowMajor(INDArray a) {
        if (a.ordering() != 'c' || a.isView()) {
            throw new IllegalArgumentException("logits must be a 'c'-ordered array of its own");
        }
        return a;
    }
}
