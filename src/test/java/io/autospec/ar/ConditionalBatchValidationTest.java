package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.core.OracleException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch's validation with scored queries and with evaluators that validate on their own: a
 * scored query reads exactly the entry its row query would; a range an evaluator reports as validated
 * is not checked or normalised again, the rest is; a rejected row gives the host check's message.
 */
class ConditionalBatchValidationTest {

    /** Row i is the law of position i, whatever is pinned (planted rows, not checked). */
    record Rows(double[][] rows) implements ConditionalOracle {
        @Override
        public int length() {
            return rows.length;
        }

        @Override
        public int alphabet() {
            return rows[0].length;
        }

        @Override
        public String describe() {
            return "planted rows";
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            int q = alphabet();
            for (int j = from; j < to; j++) System.arraycopy(rows[batch.position(j)], 0, out, j * q, q);
        }
    }

    private static final double[][] GOOD = {
        {0.25, 0.5, 0.25 + 4e-7},      // within tolerance: renormalised
        {0.0, -0.0, 0.0},              // no mass: left as it is
        {-0.0, 1.0, Double.MIN_VALUE}, // -0 and a subnormal
        {0.2, 0.0, 0.8},
    };

    private static Branch empty(ConditionalOracle o) {
        return Branch.empty(Order.identity(0, o.length()).prepareFor(o), o.prefixSummary());
    }

    private static List<ArTesting.ScoredQuery> everyValue(ConditionalOracle o) {
        Branch b = empty(o);
        List<ArTesting.ScoredQuery> qs = new ArrayList<>();
        for (int pos = 0; pos < o.length(); pos++) {
            qs.add(new ArTesting.ScoredQuery(b, pos, 0, -1));
            for (int x = 0; x < o.alphabet(); x++) qs.add(new ArTesting.ScoredQuery(b, pos, 0, x));
        }
        return qs;
    }

    @Test
    void aScoredQueryReadsTheEntryItsRowQueryHas() {
        Rows o = new Rows(GOOD);
        ArTesting.Validated v = ArTesting.evaluate(o, ConditionalEvaluator.INLINE, everyValue(o));
        int q = o.alphabet();
        for (int pos = 0; pos < o.length(); pos++) {
            double[] row = v.rows()[pos * (q + 1)];
            double sum = 0;
            for (double p : GOOD[pos]) sum += p;
            for (int x = 0; x < q; x++) {
                int j = pos * (q + 1) + 1 + x;
                double want = sum == 0 ? GOOD[pos][x] : GOOD[pos][x] / sum;
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(row[x]), "row " + pos + " value " + x);
                assertEquals(Double.doubleToRawLongBits(row[x]), Double.doubleToRawLongBits(v.scores()[j]), "score of " + pos + ", " + x);
                assertEquals(sum == 0, v.zeroRows()[j], "zero-row flag of " + pos);
            }
        }
        assertTrue(Double.doubleToRawLongBits(v.scores()[1 * (q + 1) + 2]) == Double.doubleToRawLongBits(-0.0), "-0 kept in a zero row");
    }

    /** Fills rows, then claims [validFrom, validTo) validated, writing them through untouched. */
    record ClaimingEvaluator(int validFrom, int validTo, int reject, int value, double number) implements ConditionalEvaluator {
        @Override
        public void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
            oracle.conditionals(batch, from, to, batch.out());
        }

        @Override
        public void validatedConditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
            conditionals(oracle, batch, from, to);
            if (reject >= 0) batch.rejected(reject, value, number);
            batch.validated(validFrom, validTo);
        }
    }

    @Test
    void aRangeTheEvaluatorValidatedIsNotNormalisedTwice() {
        Rows o = new Rows(GOOD);
        Branch b = empty(o);
        List<ArTesting.ScoredQuery> qs = List.of(new ArTesting.ScoredQuery(b, 0, 0, -1), new ArTesting.ScoredQuery(b, 0, 0, -1),
                new ArTesting.ScoredQuery(b, 0, 0, -1));
        ArTesting.Validated v = ArTesting.evaluate(o, new ClaimingEvaluator(1, 2, -1, 0, 0), qs);
        assertArrayEquals(GOOD[0], v.rows()[1], 0.0, "the claimed row is as the evaluator left it");
        double sum = GOOD[0][0] + GOOD[0][1] + GOOD[0][2];
        for (int j : new int[] {0, 2}) assertEquals(GOOD[0][2] / sum, v.rows()[j][2], 0.0, "row " + j + " normalised by the batch");
        assertFalse(GOOD[0][2] / sum == GOOD[0][2], "the planted row is not normalised already");
    }

    @Test
    void aRejectedRowGivesTheHostChecksMessage() {
        double[][] bad = {{0.5, 0.5}, {0.5, Double.NaN}, {0.5, -0.25}, {Double.POSITIVE_INFINITY, 0}, {0.5, 0.5 + 2e-6}};
        Rows o = new Rows(bad);
        Branch b = empty(o);
        int[] value = {-2, 1, 1, 0, -1};
        double[] number = {0, Double.NaN, -0.25, Double.POSITIVE_INFINITY, 0.5 + (0.5 + 2e-6)}; // the sum as the check adds it
        for (int pos = 1; pos < bad.length; pos++) {
            for (int scored : new int[] {-1, 1}) {
                List<ArTesting.ScoredQuery> qs = List.of(new ArTesting.ScoredQuery(b, 0, 0, scored), new ArTesting.ScoredQuery(b, pos, 0, scored));
                String host = assertThrows(OracleException.class, () -> ArTesting.evaluate(o, ConditionalEvaluator.INLINE, qs)).getMessage();
                int p = pos;
                String claimed = assertThrows(OracleException.class,
                        () -> ArTesting.evaluate(o, new ClaimingEvaluator(0, 2, 1, value[p], number[p]), qs)).getMessage();
                assertEquals(host, claimed, "row " + pos);
                assertTrue(host.contains("query #1 (sample 0, position " + pos + ", 0 pinned)"), host);
                assertTrue(value[pos] >= 0 ? host.contains("for value " + value[pos]) : host.contains("unnormalised vector (sum " + number[pos] + ")"), host);
            }
        }
    }

    @Test
    void misuseIsRefused() {
        Rows o = new Rows(GOOD);
        Branch b = empty(o);
        ConditionalBatch batch = new ConditionalBatch(o);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.add(b, 0, 0, 3));
        assertTrue(e.getMessage().contains("scored value 3"), e.getMessage());
        batch.validated(0, 2);
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> batch.validated(3, 4));
        assertTrue(s.getMessage().contains("[0, 2) then [3, 4)"), s.getMessage());
    }
}
