package org.manifoldlab.config;

/**
 * @param type         adam or sgd (with momentum)
 * @param learningRate step size
 * @param beta1        Adam's first-moment decay
 * @param beta2        Adam's second-moment decay
 * @param epsilon      Adam's denominator guard
 * @param momentum     SGD's momentum (0 is plain SGD)
 */
public record OptimizerSpec(Type type, double learningRate, double beta1, double beta2, double epsilon, double momentum) {

    public static final OptimizerSpec DEFAULTS = new OptimizerSpec(Type.ADAM, 0.001, 0.9, 0.999, 1e-8, 0.9);

    public enum Type implements SpecEnum { ADAM, SGD }

    void validate(Validation v) {
        v.check(learningRate > 0 && Double.isFinite(learningRate), "training.optimizer.learningRate", "a positive number", learningRate);
        v.check(beta1 >= 0 && beta1 < 1, "training.optimizer.beta1", "a number in [0, 1)", beta1);
        v.check(beta2 >= 0 && beta2 < 1, "training.optimizer.beta2", "a number in [0, 1)", beta2);
        v.check(epsilon > 0 && Double.isFinite(epsilon), "training.optimizer.epsilon", "a positive finite number", epsilon);
        v.check(momentum >= 0 && momentum < 1, "training.optimizer.momentum", "a number in [0, 1)", momentum);
    }
}
