import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * Loads JCublas's real native library against the forwarding libcublas.so.12 and a stub
 * libcublas.so.13 (stub-cublas13.c) and checks that calls arrive, arguments intact, and that a
 * function the stub lacks answers CUBLAS_STATUS_NOT_SUPPORTED. Run by verify-gpu-bundle.sh.
 */
public class ShimCheck {
    public static void main(String[] args) {
        cublasHandle h = new cublasHandle();
        expect(JCublas2.cublasCreate(h), 0, "cublasCreate");
        int[] v = new int[1];
        expect(JCublas2.cublasGetVersion(h, v), 0, "cublasGetVersion");
        expect(v[0], 130099, "version reported by the libcublas.so.13 stub");
        expect(JCublas2.cublasDgemm(h, cublasOperation.CUBLAS_OP_T, cublasOperation.CUBLAS_OP_N, 3, 4, 5,
                Pointer.to(new double[] {2.5}), new Pointer(), 7, new Pointer(), 8, Pointer.to(new double[] {0.5}),
                new Pointer(), 9), 0, "cublasDgemm with its 14 arguments forwarded");
        expect(JCublas2.cublasSetPointerMode(h, 0), 15, "a function absent from libcublas.so.13");
        expect(JCublas2.cublasDestroy(h), 0, "cublasDestroy");
        System.out.println("cuBLAS shim OK: JCublas -> libcublas.so.12 (shim) -> libcublas.so.13 (stub)");
    }

    private static void expect(int got, int want, String what) {
        if (got != want) {
            System.err.println("cuBLAS shim check failed: " + what + ": got " + got + ", expected " + want);
            System.exit(1);
        }
    }
}
