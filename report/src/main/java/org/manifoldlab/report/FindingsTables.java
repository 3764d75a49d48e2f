package org.manifoldlab.report;

import static org.manifoldlab.report.SummaryFields.checked;
import static org.manifoldlab.report.SummaryFields.cleanEffect;
import static org.manifoldlab.report.SummaryFields.conditions;
import static org.manifoldlab.report.SummaryFields.finding;
import static org.manifoldlab.report.SummaryFields.layerOf;
import static org.manifoldlab.report.SummaryFields.layers;
import static org.manifoldlab.report.SummaryFields.measure;
import static org.manifoldlab.report.SummaryFields.orders;
import static org.manifoldlab.report.SummaryFields.over;
import static org.manifoldlab.report.SummaryFields.plain;
import static org.manifoldlab.report.SummaryFields.smoothLayers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.manifoldlab.core.stats.MeanInterval;
import org.manifoldlab.core.stats.Spearman;

/**
 * The tables of docs/FINDINGS.md, drawn from the summary.json that {@code lab report} wrote for
 * each sweep. The page holds them in blocks between two markers; the first names the block's
 * sources:
 * <pre>
 * &lt;!-- tables from: MNIST=docs/findings/full-scale/mnist/summary.json Fashion-MNIST=... --&gt;
 * ...
 * &lt;!-- tables end --&gt;
 * </pre>
 * "tables from" draws the claims, the depth, training-time and robustness tables of each data
 * set; "lever tables from" compares sweeps that differ in one setting (readout scale 0.5=...
 * 1=... 2=...). {@link #write} redraws every block from its files, {@link #read} says which
 * differ from what they give. Every mean is over seeds (the independent units) with its 95%
 * Student-t interval; the verdicts are the report's, by the rules its criteria state.
 */
public final class FindingsTables {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("<!-- (tables|lever tables) from: ([^>]*?) -->\\n(.*?)<!-- tables end -->",
            Pattern.DOTALL);

    /** One data set's summary.json, under the name the tables give it. */
    public record Source(String name, JsonNode summary) {
    }

    private FindingsTables() {
    }

    /** A block as the page holds it now, and as its sources draw it; start and end: where its text lies in the page. */
    public record Block(String current, String drawn, int start, int end) {
        public boolean stale() {
            return !current.equals(drawn);
        }
    }

    /** Reads the page's blocks and draws each again from the sources its marker names (paths relative to root). */
    public static List<Block> read(Path page, Path root) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(page));
        List<Block> blocks = new ArrayList<>();
        while (m.find()) {
            List<Source> sources = new ArrayList<>();
            for (String item : m.group(2).trim().split("\\s+")) {
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    throw new IOException(page + ": tables from: expected NAME=SUMMARY_JSON, got " + item);
                }
                Path file = root.resolve(item.substring(eq + 1)).normalize();
                if (!file.startsWith(root.normalize())) {
                    throw new IOException(page + ": tables from: " + item + " is outside " + root);
                }
                sources.add(new Source(item.substring(0, eq), checked(file, JSON.readTree(file.toFile()))));
            }
            String drawn;
            try {
                drawn = m.group(1).equals("tables") ? render(sources) : renderLever(sources);
            } catch (RuntimeException e) {  // a finding or attack entry of another shape than lab report writes
                throw new IOException(page + ": tables from: " + m.group(2).trim() + ": a summary.json lacks what the tables read ("
                        + e.getMessage() + ")", e);
            }
            blocks.add(new Block(m.group(3), drawn, m.start(3), m.end(3)));
        }
        if (blocks.isEmpty()) {
            throw new IOException(page + ": no block <!-- tables from: NAME=SUMMARY_JSON ... --> ... <!-- tables end -->");
        }
        return blocks;
    }

    /** True when some block differs from what its sources give. */
    public static boolean stale(List<Block> blocks) {
        return blocks.stream().anyMatch(Block::stale);
    }

    /** Redraws the page's blocks in place; true when one changed. */
    public static boolean write(Path page, Path root) throws IOException {
        List<Block> blocks = read(page, root);
        if (!stale(blocks)) {
            return false;
        }
        String text = Files.readString(page);
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Block b : blocks) {
            out.append(text, at, b.start()).append(b.drawn());
            at = b.end();
        }
        Files.writeString(page, out.append(text.substring(at)).toString());
        return true;
    }

    /** The tables, in markdown, for these data sets. */
    public static String render(List<Source> sources) {
        StringBuilder out = new StringBuilder();
        out.append(verdicts(sources)).append('\n');
        out.append(depth(sources)).append('\n');
        out.append(claims(sources)).append('\n');
        out.append(trainingTime(sources)).append('\n');
        out.append(robustness(sources));
        return out.toString();
    }

    // ---- the tables

    private static String verdicts(List<Source> sources) {
        StringBuilder t = new StringBuilder("**Table 1. The paper's claims, measured.** Agree: the report's verdict is supported; disagree: "
                + "contradicted; by the rules stated under Method. Layers at the epoch their network stopped.\n\n");
        t.append(row(header("claim", "what was measured", sources.stream().map(Source::name).toList())));
        t.append(rule(2 + sources.size()));
        JsonNode first = sources.get(0).summary();
        for (JsonNode f : first.get("findings")) {
            List<String> cells = new ArrayList<>(List.of(f.get("number").asInt() + ". " + f.get("title").asText(), measure(f)));
            for (Source s : sources) {
                JsonNode g = finding(s.summary(), f.get("number").asInt());
                cells.add(agreement(g.get("verdict").asText()) + " (" + conditions(s.summary()) + ")");
            }
            t.append(row(cells));
        }
        List<String> time = new ArrayList<>(List.of("1 along training time: a layer's accuracy rises as its own alpha rises",
                "per seed and layer, Spearman rho of clean test accuracy against alpha over the analysed epochs"));
        for (Source s : sources) {
            JsonNode clean = cleanEffect(s.summary());
            time.add(clean == null ? "not measured" : clean.get("direction").asText() + ", rho " + interval(clean.get("overall"), 2));
        }
        t.append(row(time));
        List<String> smooth = new ArrayList<>(List.of("smoothness: alpha > 1 + 2/d (d: the input's TwoNN dimension)",
                "layers whose alpha - (1 + 2/d) has a jackknife interval above 0, in every seed"));
        for (Source s : sources) {
            smooth.add(smoothLayers(s.summary()));
        }
        t.append(row(smooth));
        return t.toString();
    }

    private static String depth(List<Source> sources) {
        StringBuilder t = new StringBuilder("**Table 2. The depth axis.** Per layer, the mean over seeds [95% t-interval] at the epoch "
                + "training stopped.\n\n");
        t.append(row(List.of("data set", "layer", "alpha", "clean accuracy", "participation ratio", "alpha - (1 + 2/d)",
                "layer's TwoNN d")));
        t.append(rule(7));
        for (Source s : sources) {
            for (int layer : layers(s.summary())) {
                t.append(row(List.of(s.name(), "L" + layer,
                        interval(over(s.summary(), layer, l -> l.get("alpha").asDouble()), 3),
                        interval(over(s.summary(), layer, l -> l.get("cleanAccuracy").asDouble()), 4),
                        interval(over(s.summary(), layer, l -> l.get("participationRatio").asDouble()), 1),
                        interval(over(s.summary(), layer, l -> l.get("smoothnessMargin").asDouble()), 3),
                        interval(over(s.summary(), layer, l -> number(l.get("layerDTwoNn"))), 1))));
            }
        }
        return t.toString();
    }

    private static String claims(List<Source> sources) {
        StringBuilder t = new StringBuilder("**Table 3. The claims' effects.** Spearman rho over the layers of each seed, its mean over "
                + "seeds [95% t-interval]; the order is the hierarchical bootstrap's (Holm, family-wise 5%).\n\n");
        t.append(row(List.of("data set", "claim", "strength", "rho over layers", "order of the layers by alpha", "verdict")));
        t.append(rule(6));
        for (Source s : sources) {
            for (JsonNode f : s.summary().get("findings")) {
                String claim = String.valueOf(f.get("number").asInt());
                Map<String, String> orders = orders(f);
                if (!f.has("strengths")) {
                    t.append(row(List.of(s.name(), claim, "clean", interval(f.get("rhoAcrossMembers"), 2),
                            orders.getOrDefault("0", "-"), f.get("verdict").asText())));
                    continue;
                }
                for (JsonNode st : f.get("strengths")) {
                    String strength = plain(st.get("strength").asDouble());
                    t.append(row(List.of(s.name(), claim, f.get("attack").asText() + " " + strength,
                            interval(st.get("rhoAcrossMembers"), 2), orders.getOrDefault(strength, "-"), f.get("verdict").asText())));
                }
            }
        }
        return t.toString();
    }

    private static String trainingTime(List<Source> sources) {
        StringBuilder t = new StringBuilder("**Table 4. The training-time axis.** Per seed and layer, Spearman rho of the layer's clean "
                + "test accuracy against its own alpha over the analysed epochs; mean over seeds [95% t-interval].\n\n");
        t.append(row(List.of("data set", "layer", "rho", "direction")));
        t.append(rule(4));
        for (Source s : sources) {
            JsonNode clean = cleanEffect(s.summary());
            if (clean == null) {
                t.append(row(List.of(s.name(), "-", "not measured", "-")));
                continue;
            }
            for (JsonNode l : clean.get("layers")) {
                t.append(row(List.of(s.name(), "L" + l.get("layer").asInt(), interval(l.get("rho"), 2), "")));
            }
            t.append(row(List.of(s.name(), "mean of layers", interval(clean.get("overall"), 2), clean.get("direction").asText())));
        }
        return t.toString();
    }

    private static String robustness(List<Source> sources) {
        StringBuilder t = new StringBuilder("**Table 5. Accuracy under attack.** Probes right on the perturbed input, mean over seeds "
                + "[95% t-interval], at the epoch training stopped.\n\n");
        for (Source s : sources) {
            List<Integer> layers = layers(s.summary());
            List<String> head = new ArrayList<>(List.of(s.name()));
            layers.forEach(l -> head.add("L" + l));
            t.append(row(head)).append(rule(head.size()));
            JsonNode first = s.summary().get("members").get(0).get("layers").get(0).get("accuracy");
            for (String attack : List.of("gaussian", "fgsm", "pgd")) {
                if (first == null || !first.has(attack)) {
                    continue;
                }
                TreeSet<Double> strengths = new TreeSet<>();
                first.get(attack).fieldNames().forEachRemaining(k -> strengths.add(Double.parseDouble(k)));
                for (double strength : strengths) {
                    if (strength == 0) {
                        continue;
                    }
                    String key = plain(strength);
                    List<String> cells = new ArrayList<>(List.of(attack + " " + key));
                    for (int layer : layers) {
                        cells.add(interval(over(s.summary(), layer, l -> l.get("accuracy").get(attack).get(key).asDouble()), 3));
                    }
                    t.append(row(cells));
                }
            }
            t.append('\n');
        }
        return t.toString().stripTrailing() + "\n";
    }

    /**
     * Sweeps that differ in one setting (the sources, in the setting's order): per layer, alpha
     * and clean accuracy under each; and, per seed found in every sweep, Spearman rho between
     * alpha and clean accuracy across the settings, its mean over those seeds [95% t-interval].
     */
    public static String renderLever(List<Source> sources) {
        String names = sources.stream().map(Source::name).collect(Collectors.joining(", "));
        StringBuilder t = new StringBuilder("**" + names + ": alpha and clean accuracy within a layer.** Mean over the seeds every "
                + "setting ran [95% t-interval] at the epoch training stopped; rho: per such seed, Spearman rho of clean accuracy "
                + "against alpha across the settings, mean over those seeds.\n\n");
        List<String> head = new ArrayList<>(List.of("layer"));
        sources.forEach(s -> head.add("alpha, " + s.name()));
        sources.forEach(s -> head.add("clean accuracy, " + s.name()));
        head.add("rho (alpha, clean)");
        t.append(row(head)).append(rule(head.size()));
        TreeSet<Long> common = null;
        for (Source s : sources) {
            TreeSet<Long> seeds = new TreeSet<>();
            s.summary().get("members").forEach(m -> seeds.add(m.get("seed").asLong()));
            if (common == null) {
                common = seeds;
            } else {
                common.retainAll(seeds);
            }
        }
        TreeSet<Long> shared = common;
        for (int layer : layers(sources.get(0).summary())) {
            List<String> cells = new ArrayList<>(List.of("L" + layer));
            sources.forEach(s -> cells.add(interval(over(s.summary(), layer, shared, l -> l.get("alpha").asDouble()), 3)));
            sources.forEach(s -> cells.add(interval(over(s.summary(), layer, shared, l -> l.get("cleanAccuracy").asDouble()), 4)));
            List<Double> rhos = new ArrayList<>();
            for (long seed : common) {
                double[] alpha = new double[sources.size()];
                double[] clean = new double[sources.size()];
                for (int i = 0; i < sources.size(); i++) {
                    JsonNode l = layerOf(sources.get(i).summary(), seed, layer);
                    alpha[i] = l.get("alpha").asDouble();
                    clean[i] = l.get("cleanAccuracy").asDouble();
                }
                rhos.add(Spearman.rho(alpha, clean));
            }
            cells.add(interval(MeanInterval.of(rhos.stream().mapToDouble(Double::doubleValue).toArray()), 2));
            t.append(row(cells));
        }
        return t.toString();
    }

    private static String agreement(String verdict) {
        return switch (verdict) {
            case "supported" -> "agree";
            case "contradicted" -> "disagree";
            default -> "inconclusive";
        };
    }

    // ---- formatting

    private static double number(JsonNode n) {
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }

    /** A report's {n, mean, lo, hi} or a MeanInterval as "mean [lo, hi]" (or "mean (1 seed)"). */
    private static String interval(JsonNode mi, int digits) {
        if (mi == null || mi.isNull()) {
            return "-";
        }
        return interval(new MeanInterval(mi.get("n").asInt(), number(mi.get("mean")), number(mi.get("sd")), number(mi.get("lo")),
                number(mi.get("hi")), mi.path("level").asDouble(0.95)), digits);
    }

    private static String interval(MeanInterval mi, int digits) {
        if (mi.n() == 0 || Double.isNaN(mi.mean())) {
            return "-";
        }
        String f = "%." + digits + "f";
        if (Double.isNaN(mi.lo())) {
            return String.format(Locale.ROOT, f + " (%d seed%s)", mi.mean(), mi.n(), mi.n() == 1 ? "" : "s");
        }
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", mi.mean(), mi.lo(), mi.hi());
    }

    private static List<String> header(String a, String b, List<String> rest) {
        List<String> out = new ArrayList<>(List.of(a, b));
        out.addAll(rest);
        return out;
    }

    private static String row(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    private static String rule(int columns) {
        return "|" + "---|".repeat(columns) + "\n";
    }
}
