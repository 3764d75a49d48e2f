package org.manifoldlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Turns a run directory, or a sweep (a directory whose children are run directories), into
 * PNG and SVG plots, index.html and summary.json in one output folder. A sweep's members each
 * get their own report under {@code members/<id>/}; the sweep's page pools their layers.
 */
public final class Report {

    /** What was written. */
    public record Result(Path index, Path summary, List<Findings.Finding> findings, int figures, int members) {
    }

    /** Keys that name a run rather than set it up; "settings" is the member's own list of its sweep overrides, seed included. */
    private static final Set<String> NOT_SETTINGS = Set.of("name", "seed", "version", "settings");

    private Report() {
    }

    /** True when dir is a run (has spec.json) or a sweep (some child has spec.json). */
    public static boolean isReportable(Path dir) throws IOException {
        return RunData.isRun(dir) || !sweepMembers(dir).isEmpty();
    }

    /**
     * @param epoch     the epoch to compare layers at (null: each run's last analysed epoch)
     * @param tolerance accuracy differences up to this are ties (null: {@link Criteria#DEFAULTS})
     */
    public static Result write(Path input, Path out, Integer epoch, Double tolerance) throws IOException {
        return write(input, out, epoch, tolerance, null);
    }

    /** @param fitRanks a rank window [lo, hi] to fit alpha again from the stored spectra (null: the run's own fits) */
    public static Result write(Path input, Path out, Integer epoch, Double tolerance, int[] fitRanks) throws IOException {
        return write(input, out, epoch, tolerance, fitRanks, false);
    }

    /**
     * @param pool whether members with different settings (not only seeds) may be pooled; without
     *             it such a sweep is refused, since pooling them changes what a point means
     */
    public static Result write(Path input, Path out, Integer epoch, Double tolerance, int[] fitRanks, boolean pool) throws IOException {
        Criteria criteria = tolerance == null ? Criteria.DEFAULTS : Criteria.DEFAULTS.withTolerance(tolerance);
        if (!Files.isDirectory(input)) {
            throw new ReportException(input + ": no such directory");
        }
        if (RunData.isRun(input)) {
            RunData run = RunData.load(input);
            if (fitRanks != null) {
                run.refit(fitRanks[0], fitRanks[1]);
            }
            return single(run, Member.of(run, epoch, ""), criteria, out, input.toString(), List.of());
        }
        List<Path> dirs = sweepMembers(input);
        if (dirs.isEmpty()) {
            throw new ReportException(input + ": neither a run directory (no spec.json) nor a sweep (no child directory holds spec.json)");
        }
        List<RunData> runs = new ArrayList<>();
        for (Path d : dirs) {
            RunData run;
            try {
                run = RunData.load(d);
            } catch (IOException | org.manifoldlab.rundir.FormatException e) {  // one unreadable run does not stop the report of the others
                System.err.println("lab: skipped " + d.getFileName() + ": " + e.getMessage());
                continue;
            }
            if (fitRanks != null) {
                run.refit(fitRanks[0], fitRanks[1]);
            }
            runs.add(run);
        }
        if (runs.isEmpty()) {
            throw new ReportException(input + ": no member could be read");
        }
        List<String> duplicates = new ArrayList<>();
        runs = distinctNetworks(runs, duplicates);
        List<String> labels = labels(runs.stream().map(r -> r.spec).toList());
        List<String> settings = labels.stream().distinct().toList();
        if (settings.size() > 1 && !pool) {
            throw new ReportException(input + ": its runs differ in settings other than the seed (" + String.join("; ", settings)
                    + "); pass --pool to pool them, with each seed's runs counted as one independent unit");
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            members.add(Member.of(runs.get(i), epoch, labels.get(i)));
        }
        Files.createDirectories(out);
        List<HtmlPage.Link> links = new ArrayList<>();
        List<Map<String, Object>> memberReports = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Member m = members.get(i);
            Path dir = out.resolve("members").resolve(m.id());
            single(runs.get(i), m, criteria, dir, runs.get(i).run.root().toString(), List.of(new HtmlPage.Link("../../index.html", "the sweep", "")));
            String href = "members/" + m.id() + "/index.html";
            links.add(new HtmlPage.Link(href, m.id(), "seed " + m.seed() + (m.label().isEmpty() ? "" : ", " + m.label())
                    + ", status " + runs.get(i).status + ", epoch " + m.epoch()));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", m.id());
            r.put("index", href);
            r.put("summary", "members/" + m.id() + "/summary.json");
            memberReports.add(r);
        }
        List<Findings.Finding> findings = Findings.evaluate(members, criteria);
        List<Figure> figures = new ArrayList<>(AlphaPlots.write(members, findings, out));
        figures.addAll(TrainingTimePlots.write(runs, TrainingTime.evaluate(runs), out));
        List<String> notes = new ArrayList<>(notes(runs, members));
        notes.addAll(duplicates);
        if (settings.size() > 1) {
            notes.add("Pooled (--pool): members with different settings; each seed's members add their probe counts and count as one unit.");
        }
        String title = "Sweep report: " + input.toAbsolutePath().normalize().getFileName();
        String subtitle = runs.size() + " members, seeds " + members.stream().map(m -> Long.toString(m.seed())).distinct().toList()
                + "; layers compared at each member's epoch " + members.stream().map(m -> String.valueOf(m.epoch())).distinct().toList();
        return finish(out, title, subtitle, "sweep", input.toString(), runs, members, criteria, findings, figures, links, memberReports, notes);
    }

    private static Result single(RunData run, Member member, Criteria criteria, Path out, String source, List<HtmlPage.Link> links)
            throws IOException {
        Files.createDirectories(out);
        List<Member> members = List.of(member);
        List<Findings.Finding> findings = Findings.evaluate(members, criteria);
        List<Figure> figures = new ArrayList<>(RunPlots.write(run, member.epoch(), out));
        figures.addAll(AlphaPlots.write(members, findings, out));
        figures.addAll(TrainingTimePlots.write(List.of(run), TrainingTime.evaluate(List.of(run)), out));
        String title = "Run report: " + run.id();
        String subtitle = "seed " + run.seed + ", status " + run.status + ", mode " + run.spec.path("training").path("mode").asText("?")
                + ", widths " + run.spec.path("network").path("widths") + "; layers compared at epoch "
                + (member.epoch() == null ? "n/a" : member.epoch());
        return finish(out, title, subtitle, "run", source, List.of(run), members, criteria, findings, figures, links, List.of(),
                notes(List.of(run), members));
    }

    private static Result finish(Path out, String title, String subtitle, String kind, String source, List<RunData> runs,
                                 List<Member> members, Criteria criteria, List<Findings.Finding> findings, List<Figure> figures,
                                 List<HtmlPage.Link> links, List<Map<String, Object>> memberReports, List<String> notes) throws IOException {
        Map<String, Object> summary = Summary.build(kind, source, runs, members, criteria, findings, figures, memberReports);
        summary.put("trainingTime", TrainingTime.summary(TrainingTime.evaluate(runs)));
        Path summaryFile = out.resolve("summary.json");
        RunDirectory.writeAtomically(summaryFile, RunDirectory.JSON.writeValueAsBytes(summary));
        Path index = out.resolve("index.html");
        String html = HtmlPage.render(title, subtitle, runs, members, criteria, findings, figures, links, notes);
        RunDirectory.writeAtomically(index, html.getBytes(StandardCharsets.UTF_8));
        return new Result(index, summaryFile, findings, figures.size(), members.size());
    }

    /**
     * The runs with distinct final-weight fingerprints, in order: a second run of one network
     * (same spec and seed, same fingerprint) is the same measurement, not another seed. Runs
     * without a fingerprint (not completed) are all kept.
     */
    static List<RunData> distinctNetworks(List<RunData> runs, List<String> notes) {
        Map<String, String> seen = new LinkedHashMap<>();
        List<RunData> out = new ArrayList<>();
        for (RunData r : runs) {
            String first = r.fingerprint.isEmpty() ? null : seen.putIfAbsent(r.fingerprint, r.id());
            if (first == null) {
                out.add(r);
            } else {
                notes.add(r.id() + " has the final weights of " + first + " (fingerprint " + r.fingerprint.substring(0, Math.min(12, r.fingerprint.length()))
                        + "): counted once.");
            }
        }
        return out;
    }

    /** What is missing, said plainly on the page rather than left as an empty section. */
    private static List<String> notes(List<RunData> runs, List<Member> members) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunData r = runs.get(i);
            String who = runs.size() > 1 ? r.id() + ": " : "";
            if (!"completed".equals(r.status)) {
                notes.add(who + "status is " + r.status + ", not completed: the numbers are those written so far.");
            }
            if (r.fits.isEmpty()) {
                notes.add(who + "no spectrum-summary.csv rows: no alpha, so no finding can be tested.");
            }
            if (r.spectra.isEmpty()) {
                notes.add(who + "no spectrum.csv rows: no spectrum plots.");
            }
            if (r.robustness.isEmpty()) {
                notes.add(who + "no robustness.csv rows: no accuracy under perturbation.");
            }
            if (!r.sanityFlags.isEmpty()) {
                notes.add(who + r.sanityFlags.size() + " robustness.csv row" + (r.sanityFlags.size() == 1 ? "" : "s")
                        + " failed an attack sanity check (accuracy rising with strength, or PGD above FGSM): "
                        + String.join("; ", r.sanityFlags.subList(0, Math.min(5, r.sanityFlags.size())))
                        + (r.sanityFlags.size() > 5 ? "; ..." : "") + ".");
            }
            if (r.accuracy.isEmpty()) {
                notes.add(who + "no train.csv rows: no accuracy over training.");
            }
            if (members.get(i).epoch() == null) {
                notes.add(who + "no analysed epoch.");
            }
        }
        return notes;
    }

    /** The children of dir that are run directories, by name; the report's own output is never one. */
    static List<Path> sweepMembers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(RunData::isRun).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** For each spec, the settings that differ between the specs (name, seed and version aside), as "path=value, ...". */
    static List<String> labels(List<JsonNode> specs) {
        List<Map<String, String>> flat = new ArrayList<>();
        for (JsonNode spec : specs) {
            Map<String, String> m = new TreeMap<>();
            flatten("", spec, m);
            NOT_SETTINGS.forEach(m::remove);
            flat.add(m);
        }
        Set<String> keys = new java.util.TreeSet<>();
        flat.forEach(m -> keys.addAll(m.keySet()));
        List<String> differing = keys.stream().filter(k -> flat.stream().map(m -> m.getOrDefault(k, "")).distinct().count() > 1).toList();
        List<String> labels = new ArrayList<>();
        for (Map<String, String> m : flat) {
            labels.add(String.join(", ", differing.stream().map(k -> k + "=" + m.getOrDefault(k, "(absent)")).toList()));
        }
        return labels;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node.isTextual() ? node.textValue() : node.toString());
        }
    }
}
