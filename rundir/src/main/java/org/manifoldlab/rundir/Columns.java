package org.manifoldlab.rundir;

/**
 * The name of every column of the run directory's CSV files, declared once: writers build their
 * headers from {@link RunDirectory}'s column lists, readers ask for columns by these constants.
 */
public final class Columns {

    public static final String EPOCH = "epoch";
    public static final String LAYER = "layer";
    public static final String SPLIT = "split";
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";
    public static final String SAMPLES = "samples";
    public static final String RANK = "rank";
    public static final String EIGENVALUE = "eigenvalue";
    public static final String ALPHA = "alpha";
    public static final String R2 = "r2";
    public static final String FIT_LO = "fit_lo";
    public static final String FIT_HI = "fit_hi";
    public static final String POINTS = "points";
    public static final String PARTICIPATION_RATIO = "participation_ratio";
    public static final String N90 = "n90";
    public static final String N95 = "n95";
    public static final String SMOOTHNESS_MARGIN = "smoothness_margin";
    public static final String METHOD = "method";
    public static final String WINDOW = "window";
    public static final String DEAD_UNITS = "dead_units";
    public static final String ALPHA_LO = "alpha_lo";
    public static final String ALPHA_HI = "alpha_hi";
    public static final String PR_LO = "pr_lo";
    public static final String PR_HI = "pr_hi";
    public static final String JACKKNIFE_BLOCKS = "jackknife_blocks";
    public static final String MANIFOLD_DIM = "manifold_dim";
    public static final String MANIFOLD_DIM_LO = "manifold_dim_lo";
    public static final String MANIFOLD_DIM_HI = "manifold_dim_hi";
    public static final String DIM_SOURCE = "dim_source";
    public static final String MARGIN_LO = "margin_lo";
    public static final String MARGIN_HI = "margin_hi";
    public static final String LAYER_D_TWONN = "layer_d_twonn";
    public static final String LAYER_D_TWONN_LO = "layer_d_twonn_lo";
    public static final String LAYER_D_TWONN_HI = "layer_d_twonn_hi";
    public static final String LAYER_D_LB = "layer_d_lb";
    public static final String LAYER_D_LB_LO = "layer_d_lb_lo";
    public static final String LAYER_D_LB_HI = "layer_d_lb_hi";
    public static final String ATTACK = "attack";
    public static final String STRENGTH = "strength";
    public static final String ROBUST_ACCURACY = "robust_accuracy";
    public static final String LINF = "linf";
    public static final String L2 = "l2";
    public static final String TARGET = "target";
    public static final String SANITY = "sanity";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String PROBE_EPOCHS = "probe_epochs";
    public static final String SEED = "seed";

    private Columns() {
    }
}
