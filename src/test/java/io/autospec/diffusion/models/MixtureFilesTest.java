package io.autospec.diffusion.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV formats of {@link IsotropicMixture#readAtoms} and {@link IsotropicMixture#readGmm}, and their errors. */
class MixtureFilesTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private void assertError(Function<Path, IsotropicMixture> reader, String name, String text, String... parts) throws IOException {
        Path p = file(name, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.apply(p));
        assertTrue(e.getMessage().startsWith(p.toString()), "message should start with the file: " + e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }

    @Test
    void readsPlainAtoms() throws IOException {
        IsotropicMixture m = IsotropicMixture.readAtoms(file("a.csv", "1,2\n3, 4\n\n-5.5e-1 , 6\n"));
        assertEquals(3, m.components());
        assertEquals(2, m.dimension());
        assertTrue(m.isAtomic());
        assertArrayEquals(new double[] {1, 2, 3, 4, -0.55, 6}, m.means(), 0.0);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, m.weights(), 1e-15);
        assertTrue(m.describe().contains("a.csv"), m.describe());
    }

    @Test
    void readsWhitespaceSeparatedAtomsWithCommentsAndAHeader() throws IOException {
        IsotropicMixture m = IsotropicMixture.readAtoms(file("b.txt", "# my atoms\nx y z\n  1 2 3\n# middle comment\n4\t5 6\n"));
        assertEquals(2, m.components());
        assertEquals(3, m.dimension());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.means(), 0.0);
        assertArrayEquals(new double[] {0.5, 0.5}, m.weights(), 0.0);
    }

    @Test
    void weightColumnOnlyWhenTheHeaderOrTheFlagSaysSo() throws IOException {
        IsotropicMixture byHeader = IsotropicMixture.readAtoms(file("w1.csv", "x,y,Weight\n0,0,1\n1,1,3\n"));
        assertEquals(2, byHeader.dimension());
        assertArrayEquals(new double[] {0.25, 0.75}, byHeader.weights(), 0.0);
        IsotropicMixture byFlag = IsotropicMixture.readAtoms(file("w2.csv", "# weighted\n0,0,1\n1,1,3\n"));
        assertEquals(2, byFlag.dimension());
        assertArrayEquals(new double[] {0.25, 0.75}, byFlag.weights(), 0.0);
        // No header, no flag: three coordinates, equal weights.
        IsotropicMixture plain = IsotropicMixture.readAtoms(file("w3.csv", "0,0,1\n1,1,3\n"));
        assertEquals(3, plain.dimension());
        assertArrayEquals(new double[] {0.5, 0.5}, plain.weights(), 0.0);
        // A header without a weight column: unweighted.
        assertEquals(3, IsotropicMixture.readAtoms(file("w4.csv", "a,b,c\n0,0,1\n")).dimension());
        // A flag after the first data line is just a comment.
        assertEquals(3, IsotropicMixture.readAtoms(file("w5.csv", "0,0,1\n# weighted\n1,1,3\n")).dimension());
        // Zero weights are allowed as long as some weight is positive.
        assertArrayEquals(new double[] {0, 1}, IsotropicMixture.readAtoms(file("w6.csv", "# weighted\n5,0\n6,2\n")).weights(), 0.0);
    }

    @Test
    void malformedAtomFilesNameFileAndLine() throws IOException {
        Function<Path, IsotropicMixture> r = IsotropicMixture::readAtoms;
        assertError(r, "e1.csv", "1,2\n3,abc\n", ":2:", "field 2", "'abc' is not a number");
        assertError(r, "e2.csv", "1,2\n3,4,5\n", ":2:", "expected 2 field(s)", "found 3");
        assertError(r, "e3.csv", "x,y\n1\n", ":2:", "expected 2 field(s) (as in the header)", "found 1");
        assertError(r, "e4.csv", "", "no atoms");
        assertError(r, "e5.csv", "# only a comment\n\n   \n", "no atoms");
        assertError(r, "e6.csv", "x,y\n", "no atoms");
        assertError(r, "e7.csv", "1,2\n\n3,NaN\n", ":3:", "NaN", "finite");
        assertError(r, "e8.csv", "1,Infinity\n", ":1:", "Infinity", "finite");
        assertError(r, "e9.csv", "1,,2\n", ":1:", "field 2 is empty");
        assertError(r, "e10.csv", "# weighted\n1,2\n3,-1\n", ":3:", "weight -1.0 is negative");
        assertError(r, "e11.csv", "# weighted\n1,0\n3,0\n", "positive, finite sum");
        assertError(r, "e12.csv", "# weighted\n1\n", ":2:", "at least one coordinate and the weight");
        assertError(r, "e13.csv", "1,2\n3 4\n", ":2:", "expected 2 field(s)", "found 1"); // the separator is the file's
        assertError(r, "e14.csv", "1 2\n3,4\n", ":2:", "expected 2 field(s)", "found 1");
        assertError(r, "e15.csv", "1, 2\n3, 4 5\n", ":2:", "'4 5' is not a number");
        Path missing = dir.resolve("missing.csv");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> IsotropicMixture.readAtoms(missing));
        assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());
    }

    @Test
    void readsGaussianMixtures() throws IOException {
        IsotropicMixture m = IsotropicMixture.readGmm(file("g.csv", "weight,variance,m1,m2\n1, 0.5, 0, 1\n3, 0, -2, 2\n"));
        assertEquals(2, m.components());
        assertEquals(2, m.dimension());
        assertArrayEquals(new double[] {0.25, 0.75}, m.weights(), 0.0);
        assertArrayEquals(new double[] {0.5, 0}, m.variances(), 0.0);
        assertArrayEquals(new double[] {0, 1, -2, 2}, m.means(), 0.0);
        IsotropicMixture one = IsotropicMixture.readGmm(file("g1.txt", "# comment\n2 0.1 7\n"));
        assertEquals(1, one.dimension());
        assertArrayEquals(new double[] {7}, one.means(), 0.0);
    }

    @Test
    void malformedGmmFilesNameFileAndLine() throws IOException {
        Function<Path, IsotropicMixture> r = IsotropicMixture::readGmm;
        assertError(r, "f1.csv", "1,0.5\n", ":1:", "weight, variance and at least one mean coordinate");
        assertError(r, "f2.csv", "1,0.5,0\n1,-0.5,0\n", ":2:", "variance -0.5 is negative");
        assertError(r, "f3.csv", "1,0.5,0\n-1,0.5,0\n", ":2:", "weight -1.0 is negative");
        assertError(r, "f4.csv", "1,0.5,0,0\n1,0.5,x,0\n", ":2:", "'x' is not a number");
        assertError(r, "f5.csv", "1,0.5,0,0\n\n1,0.5,0\n", ":3:", "expected 4 field(s)");
        assertError(r, "f6.csv", "", "no components");
        assertError(r, "f7.csv", "0,0.5,0\n0,1,1\n", "positive, finite sum");
        assertError(r, "f8.csv", "1,1e400,0\n", ":1:", "finite");
    }

    /** A mean whose |m|^2 overflows was refused without file and line. */
    @Test
    void overflowingMeanNamesFileLineAndValue() throws IOException {
        assertError(IsotropicMixture::readGmm, "big.csv", "# weight, variance, mean\n1,1,0,0\n1,1,1e300,0\n", ":3:",
                "mean is too large", "1.0E300");
        assertError(IsotropicMixture::readAtoms, "bigatoms.csv", "x,y\n0,0\n-3e200,1\n", ":3:", "mean is too large", "3.0E200");
    }

    /** A model read from a file has the dimension of the file; a point of another dimension is refused. */
    @Test
    void dimensionMismatchWithAUserPoint() throws IOException {
        IsotropicMixture m = IsotropicMixture.readAtoms(file("d.csv", "0,0\n1,1\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Denoisers.evaluate(m, 1.0, new double[] {0.5, 0.5, 0.5}));
        assertTrue(e.getMessage().contains("3 coordinates") && e.getMessage().contains("d = 2"), e.getMessage());
    }
}
