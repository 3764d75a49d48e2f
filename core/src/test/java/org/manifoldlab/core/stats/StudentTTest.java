package org.manifoldlab.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StudentTTest {

    @Test
    void cdfMatchesClosedFormsForOneAndTwoDegreesOfFreedom() {
        // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi
        assertEquals(0.75, StudentT.cdf(1, 1), 1e-12);
        assertEquals(0.5 + Math.atan(-3) / Math.PI, StudentT.cdf(-3, 1), 1e-12);
        // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2))
        assertEquals(0.5 + 2 / (2 * Math.sqrt(6)), StudentT.cdf(2, 2), 1e-12);
        assertEquals(0.5, StudentT.cdf(0, 7), 1e-15);
    }

    @ParameterizedTest(name = "t(0.975, {0}) = {1}")
    @CsvSource({"1, 12.706204736", "2, 4.302652730", "3, 3.182446305", "4, 2.776445105", "10, 2.228138852", "30, 2.042272456"})
    void quantileMatchesPublishedTwoSidedFivePercentValues(int df, double expected) {
        assertEquals(expected, StudentT.quantile(0.975, df), 1e-8);
        assertEquals(-expected, StudentT.quantile(0.025, df), 1e-8);
    }

    @Test
    void logGammaMatchesFactorials() {
        assertEquals(Math.log(24), StudentT.logGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), StudentT.logGamma(0.5), 1e-13);
    }
}
