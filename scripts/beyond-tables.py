#!/usr/bin/env python3
"""Tables of docs/FINDINGS.md ("Beyond the paper") from the summary.json of `lab report` on a sweep.

Members are grouped by their sweep settings other than the seed (from the labels the
report gives them); per group and layer, the mean over seeds and its 95% t-interval (n - 1 degrees of
freedom) of: alpha, clean accuracy, the layer's TwoNN dimension d, the linear-probe accuracy,
and the accuracy under each Gaussian sigma, FGSM and PGD eps (robust accuracy, as the report).

    scripts/beyond-tables.py SUMMARY_JSON [--label KEY]   (KEY: spectralPenalty or localLoss)
"""
import json
import math
import pathlib
import sys

from scipy import stats


def interval(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    n = len(values)
    if n == 0:
        return None
    mean = sum(values) / n
    if n < 2:
        return (mean, None, None, n)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return (mean, mean - half, mean + half, n)


def fmt(i, digits=3):
    if i is None:
        return "-"
    mean, lo, hi, n = i
    if lo is None:
        return f"{mean:.{digits}f} (n={n})"
    return f"{mean:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def setting_of(member):
    """The member's sweep settings other than the seed, from the label the report gives it
    ('settings=["seed=1","training.localLoss=\\"predsim\\""], ...'), so the tables need only summary.json."""
    settings, _ = json.JSONDecoder().raw_decode(member["label"][len("settings="):])
    values = {}
    for entry in settings:
        key, _, value = entry.partition("=")
        values[key] = json.loads(value)
    if "training.localLoss" in values:
        return values["training.localLoss"]
    p = values["training.spectralPenalty"]
    if not p["layers"]:
        return "no penalty"
    return f"target {p['targetAlpha']}, weight {p['weight']}"


def main():
    summary_path = pathlib.Path(sys.argv[1])
    summary = json.loads(summary_path.read_text())
    groups = {}
    for m in summary["members"]:
        groups.setdefault(setting_of(m), []).append(m)
    layers = sorted({l["layer"] for m in summary["members"] for l in m["layers"]})
    first = summary["members"][0]["layers"][0]["accuracy"]
    attacks = [(a, s) for a in ("gaussian", "fgsm", "pgd") for s in sorted(first.get(a, {}), key=float) if float(s) > 0]
    print(f"Source: `{summary_path}`; {len(summary['members'])} runs; seeds per setting: "
          + ", ".join(f"{g}: {sorted(m['seed'] for m in ms)}" for g, ms in groups.items()) + "\n")
    print("| setting | layer | alpha | clean acc | d (TwoNN) | linear probe acc |")
    print("|---|---|---|---|---|---|")
    for g, ms in groups.items():
        for layer in layers:
            ls = [next(l for l in m["layers"] if l["layer"] == layer) for m in ms]
            cells = [fmt(interval([l["alpha"] for l in ls]), 2), fmt(interval([l["cleanAccuracy"] for l in ls])),
                     fmt(interval([l.get("layerDTwoNn") for l in ls]), 1), fmt(interval([l.get("linearProbeAccuracy") for l in ls]))]
            print(f"| {g} | {layer} | " + " | ".join(cells) + " |")
    print()
    print("| setting | layer |" + "".join(f" {a} {s} |" for a, s in attacks))
    print("|---|---|" + "---|" * len(attacks))
    for g, ms in groups.items():
        for layer in layers:
            ls = [next(l for l in m["layers"] if l["layer"] == layer) for m in ms]
            cells = [fmt(interval([l["accuracy"].get(a, {}).get(s) for l in ls])) for a, s in attacks]
            print(f"| {g} | {layer} | " + " | ".join(cells) + " |")
    baseline = "no penalty" if "no penalty" in groups else "fixed-readout" if "fixed-readout" in groups else None
    if baseline is not None:
        print()
        print(f"Changes from {baseline}, paired by seed, with the verdicts of rules 2-4:")
        print()
        paired(summary, groups, baseline, expected)


def expected(metric):
    """The sign of the study's correlation between alpha and the metric (docs/FINDINGS.md, MNIST-10k):
    clean and Gaussian accuracy fall as alpha rises; FGSM robust accuracy rises with alpha from eps
    0.05 on (falls at 0.02); PGD has no finding, so no expectation."""
    name, _, strength = metric.partition(" ")
    if metric == "clean acc" or name == "gaussian":
        return -1
    if name == "fgsm":
        return -1 if float(strength) < 0.05 else 1
    return 0


def paired(summary, groups, baseline, expected_sign):
    """Per setting and layer: differences from the baseline setting, paired by seed, with 95% t-intervals.

    expected_sign(metric) is the sign a rise in alpha should give the metric by the study's
    correlations (+1, -1), or 0 for no expectation; the verdict says whether the measured change
    in the metric goes with the measured change in alpha as that sign suggests.
    """
    first = summary["members"][0]["layers"][0]["accuracy"]
    attacks = [(a, s) for a in ("gaussian", "fgsm", "pgd") for s in sorted(first.get(a, {}), key=float) if float(s) > 0]
    metrics = [("clean acc", lambda l: l["cleanAccuracy"])] + [
        (f"{a} {s}", (lambda a, s: lambda l: l["accuracy"][a][s])(a, s)) for a, s in attacks]
    base = {m["seed"]: m for m in groups[baseline]}
    targets = any(g.startswith("target") for g in groups)
    print(f"| setting - {baseline} | layer | alpha change | " + ("target | " if targets else "")
          + " | ".join(n for n, _ in metrics) + " |")
    print("|" + "---|" * (3 + targets + len(metrics)))
    for g, ms in groups.items():
        if g == baseline:
            continue
        layers = sorted({l["layer"] for m in ms for l in m["layers"]})
        for layer in layers:
            def diff(f):
                out = []
                for m in ms:
                    b = base.get(m["seed"])
                    if b is None:
                        continue
                    lm = next(l for l in m["layers"] if l["layer"] == layer)
                    lb = next(l for l in b["layers"] if l["layer"] == layer)
                    out.append(f(lm) - f(lb))
                return interval(out)
            da = diff(lambda l: l["alpha"])
            cells = [verdict_cell(da, None, 2)] + ([follows(g, layer, ms, base)] if targets else [])
            for name, f in metrics:
                cells.append(verdict_cell(diff(f), (da, expected_sign(name))))
            print(f"| {g} | {layer} | " + " | ".join(cells) + " |")


def follows(setting, layer, members, base):
    """For a penalised layer (1, 2) of a setting "target T, ...": reaches (mean alpha within 10% of T,
    moved), there unmoved (within 10% of T without a change excluding 0),
    overshoots (moved past T by more than 10%), toward (alpha changed toward T, interval excluding 0,
    not within 10%), away, or none (the change's interval holds 0)."""
    if not setting.startswith("target") or layer > 2:
        return ""
    target = float(setting.split()[1].rstrip(","))
    alpha = [next(l for l in m["layers"] if l["layer"] == layer)["alpha"] for m in members]
    before = [next(l for l in base[m["seed"]]["layers"] if l["layer"] == layer)["alpha"] for m in members if m["seed"] in base]
    mean, mean_before = sum(alpha) / len(alpha), sum(before) / len(before)
    change = direction(interval([a - b for a, b in zip(alpha, before)]))
    want = 1 if target > mean_before else -1
    if abs(mean - target) <= 0.1 * target:
        return "reaches" if change != 0 else "there unmoved"
    if change == 0:
        return "none"
    if change != want:
        return "away"
    return "overshoots" if (mean - target) * want > 0 else "toward"


def direction(i):
    """+1 / -1 when the interval excludes 0 on that side, 0 when it holds 0 (or there is none)."""
    if i is None or i[1] is None:
        return 0
    return 1 if i[1] > 0 else -1 if i[2] < 0 else 0


def verdict_cell(i, against, digits=3):
    text = fmt(i, digits)
    if against is None:
        return text + {1: " up", -1: " down", 0: ""}[direction(i)]
    da, sign = against
    d, a = direction(i), direction(da)
    if d == 0 or a == 0 or sign == 0:
        return text + ("" if d == 0 else " (differs)")
    return text + (" **as suggested**" if d == a * sign else " **against**")


if __name__ == "__main__":
    main()
