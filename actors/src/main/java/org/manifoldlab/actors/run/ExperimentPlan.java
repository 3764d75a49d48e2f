package org.manifoldlab.actors.run;

import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.OptimizerSpec;
import org.manifoldlab.config.TrainingSpec;
import org.manifoldlab.core.data.DataSources;
import org.manifoldlab.core.data.Dataset;
import org.manifoldlab.core.nn.Activation;
import org.manifoldlab.core.nn.Adam;
import org.manifoldlab.core.nn.LearningRules;
import org.manifoldlab.core.nn.LocalLoss;
import org.manifoldlab.core.nn.Network;
import org.manifoldlab.core.nn.Optimizer;
import org.manifoldlab.core.nn.SgdMomentum;
import org.manifoldlab.core.nn.TrainingMode;
import org.manifoldlab.core.spectrum.SpectralPenalty;
import org.nd4j.linalg.api.buffer.DataType;

/** Translates a spec into core's objects: the network, its optimizer, the batches. */
public final class ExperimentPlan {

    private ExperimentPlan() {
    }

    public static Network network(ExperimentSpec spec, Dataset train) {
        int[] widths = spec.network().widths().stream().mapToInt(Integer::intValue).toArray();
        Network.Shape shape = new Network.Shape(train.features(), widths, train.classes(),
                Activation.valueOf(spec.network().activation().name()), spec.network().readoutScale());
        // the optimizer's state on the heap while it is small beside it (the same bits either way)
        boolean stateOnHeap = Preflight.estimate(spec, new DataSources.Shape(train.features(), train.classes(), train.size(), 0)).stateOnHeap();
        return Network.create(shape, optimizer(spec.training().optimizer()).withHeapState(stateOnHeap), DataType.FLOAT, spec.seed(),
                TrainingMode.valueOf(spec.training().mode().name()), rules(spec));
    }

    /** The local loss and the spectral penalty of the spec; the penalty's window is the analysis's fit window if fixed. */
    public static LearningRules rules(ExperimentSpec spec) {
        return new LearningRules(LocalLoss.valueOf(spec.training().localLoss().name()), spec.training().predsimBeta(),
                penalty(spec));
    }

    /** The penalty's settings, or null when it is off. */
    public static SpectralPenalty.Settings penalty(ExperimentSpec spec) {
        TrainingSpec.SpectralPenalty p = spec.training().spectralPenalty();
        if (!p.on()) {
            return null;
        }
        boolean fixed = spec.analysis().fixedWindow();
        return new SpectralPenalty.Settings(p.layers(), p.targetAlpha(), p.weight(), p.everySteps(), p.batch(),
                fixed ? spec.analysis().fitLo() : 10, fixed ? spec.analysis().fitHi() : 0);
    }

    public static Optimizer optimizer(OptimizerSpec o) {
        return switch (o.type()) {
            case ADAM -> new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon());
            case SGD -> new SgdMomentum(o.learningRate(), o.momentum());
        };
    }
}
