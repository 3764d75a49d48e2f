package org.manifoldlab.config;

import java.util.ArrayList;
import java.util.List;

/**
 * @param widths       hidden layer widths, first hidden layer first
 * @param activation   relu or tanh
 * @param readoutScale B_l ~ N(0, readoutScale^2 / width_l)
 * @param layerGroups  layers (numbered from 1) trained by one actor each, in order; empty means one group per layer
 */
public record NetworkSpec(List<Integer> widths, Activation activation, double readoutScale, List<List<Integer>> layerGroups) {

    public static final NetworkSpec DEFAULTS = new NetworkSpec(List.of(1000, 1000, 1000, 1000, 1000), Activation.RELU, 1.0, List.of());

    public enum Activation implements SpecEnum { RELU, TANH }

    public int depth() {
        return widths.size();
    }

    /** The groups as given, or one group per layer. */
    public List<List<Integer>> resolvedGroups() {
        if (!layerGroups.isEmpty()) {
            return layerGroups;
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int l = 1; l <= widths.size(); l++) {
            groups.add(List.of(l));
        }
        return groups;
    }

    void validate(Validation v) {
        v.check(!widths.isEmpty(), "network.widths", "at least one hidden layer width", widths);
        for (int i = 0; i < widths.size(); i++) {
            v.check(widths.get(i) >= 1, "network.widths[" + i + "]", "a positive integer", widths.get(i));
        }
        v.check(readoutScale > 0 && Double.isFinite(readoutScale), "network.readoutScale", "a positive finite number", readoutScale);
        if (layerGroups.isEmpty()) {
            return;
        }
        int next = 1;
        for (int g = 0; g < layerGroups.size(); g++) {
            List<Integer> group = layerGroups.get(g);
            if (group.isEmpty()) {
                v.error("network.layerGroups[" + g + "]", "a non-empty list of layers", group);
                return;
            }
            for (int layer : group) {
                if (layer != next) {
                    v.error("network.layerGroups", "consecutive groups covering layers 1.." + widths.size()
                            + " exactly once, in order (layer " + next + " expected next)", layerGroups);
                    return;
                }
                next++;
            }
        }
        v.check(next == widths.size() + 1, "network.layerGroups",
                "groups covering layers 1.." + widths.size() + " exactly once, in order", layerGroups);
    }
}
