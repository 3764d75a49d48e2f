package org.manifoldlab.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpectrumJackknifeTest {

    @Test
    void totalMinusABlockEqualsTheCovarianceOfTheOtherRows() {
        int n = 300;
        int width = 20;
        float[] rows = Populations.draw(Populations.powerLaw(width, 1.0), n, 3, 0, new float[n * width]);
        for (int i = 0; i < n; i++) {
            rows[i * width + 5] += 2.0f;   // a non-zero mean, so Chan's term matters
        }
        CovarianceAccumulator total = Populations.accumulate(rows, n, width, new CovarianceAccumulator(width));
        CovarianceAccumulator block = new CovarianceAccumulator(width).accumulateRows(rows, 100, 160);
        CovarianceAccumulator rest = new CovarianceAccumulator(width).setToDifference(total, block);
        CovarianceAccumulator direct = new CovarianceAccumulator(width).accumulateRows(rows, 0, 100).accumulateRows(rows, 160, n);
        assertEquals(direct.count(), rest.count());
        double[] a = rest.covariance().data().asDouble();
        double[] b = direct.covariance().data().asDouble();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-12, "entry " + i);
        }
        for (int c = 0; c < width; c++) {
            assertEquals(direct.mean()[c], rest.mean()[c], 1e-12);
        }
    }

    @Test
    void deadUnitsAreTheColumnsConstantOnEverySample() {
        float[] rows = Populations.draw(new double[] {1, 0, 0.5, 0}, 50, 4, 0, new float[200]);
        CovarianceAccumulator acc = new CovarianceAccumulator(4).accumulateRows(rows, 0, 50);
        assertEquals(2, acc.deadUnits());
    }

    @Test
    void intervalIsTheDeleteAGroupJackknifeWithAStudentT() {
        // replicates 1, 2, 3, 4: mean 2.5, sum of squares 5, se = sqrt(3/4 * 5); t_{0.975, 3} = 3.182446305
        Interval i = SpectrumJackknife.interval(2.0, new double[] {1, 2, 3, 4});
        double h = 3.182446305284263 * Math.sqrt(0.75 * 5);
        assertEquals(2.0 - h, i.lo(), 1e-6);
        assertEquals(2.0 + h, i.hi(), 1e-6);
        assertEquals(2.0, i.estimate(), 0.0);
    }

    /**
     * 100 seeded draws of 5,000 samples from one population (n^-1.5 over 200 units, a smaller
     * width than a 1,000-unit layer so that 2,100 eigendecompositions take seconds, not
     * minutes): the 95% jackknife interval of each draw covers the mean of the 100 estimates at
     * least 90 times, its half-width matches their spread, and that mean is within 0.05 of the
     * alpha the same window gives on the population eigenvalues.
     */
    @Test
    void jackknifeIntervalsCoverTheMeanEstimateInAtLeast90Of100Draws() {
        int width = 200;
        int samples = 5000;
        double[] lambda = Populations.powerLaw(width, 1.5);
        float[] rows = new float[samples * width];
        CovarianceAccumulator total = new CovarianceAccumulator(width);
        int draws = 100;
        double[] alpha = new double[draws];
        Interval[] intervals = new Interval[draws];
        PowerLawFit.Window window = null;
        for (int d = 0; d < draws; d++) {
            Populations.accumulate(Populations.draw(lambda, samples, 23, d, rows), samples, width, total);
            Spectrum s = total.spectrum();
            PowerLawFit.Result fit = PowerLawFit.fit(s, PowerLawFit.autoWindow(s), false);
            window = fit.used();
            SpectrumJackknife.Result j = SpectrumJackknife.of(ProbeRows.wrap(rows, samples, width), total, fit,
                    s.participationRatio(), SpectrumJackknife.DEFAULT_BLOCKS);
            alpha[d] = fit.alpha();
            intervals[d] = j.alpha();
            assertTrue(j.participationRatio().covers(s.participationRatio()));
        }
        double mean = 0;
        for (double a : alpha) {
            mean += a;
        }
        mean /= draws;
        double ss = 0;
        double halfWidths = 0;
        int covered = 0;
        for (int d = 0; d < draws; d++) {
            ss += (alpha[d] - mean) * (alpha[d] - mean);
            halfWidths += intervals[d].halfWidth();
            covered += intervals[d].covers(mean) ? 1 : 0;
        }
        double spread = Math.sqrt(ss / (draws - 1));
        double meanHalfWidth = halfWidths / draws;
        double population = PowerLawFit.fit(Spectrum.of(lambda), window, false).alpha();
        String report = String.format("covered %d/100, mean %.4f (population at %s: %.4f), sd %.4f, mean half-width %.4f (1.96 sd %.4f)",
                covered, mean, window, population, spread, meanHalfWidth, 1.96 * spread);
        System.out.println(report);
        assertTrue(covered >= 90, report);
        assertEquals(population, mean, 0.05, report);
        double ratio = meanHalfWidth / (StudentT95.T19 * spread);
        assertTrue(ratio > 0.7 && ratio < 1.4, "half-width / (t sd) = " + ratio + "; " + report);
    }

    /** t_{0.975, 19}, from tables. */
    private static final class StudentT95 {
        static final double T19 = 2.093024054;
    }
}
