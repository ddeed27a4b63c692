#!/usr/bin/python3
# The constants of kernels/nn_math.cuh (and its twin io.autospec.nn.FloatMath) that are not Taylor
# coefficients: polynomial fits, rounded to float one coefficient at a time (each later coefficient
# refitted with the earlier ones fixed), minimising the maximum relative error by iteratively
# reweighted least squares; and the bits of 2/pi for the Payne-Hanek reduction. Needs numpy.
# Run: /usr/bin/python3 native-build/nn_math_fit.py (prints what the header holds).
import math
import numpy as np


def lawson(f, lo, hi, deg, var, fixed, den, n=4000, iters=80):
    xs = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.linspace(0, np.pi, n))
    v = var(xs)
    y = f(xs)
    d = np.abs(den(xs)) if den else np.abs(y)
    V = np.vander(v, deg + 1, increasing=True)
    k = len(fixed)
    r = y - (V[:, :k] @ np.array(fixed) if k else 0)
    w = np.ones(n)
    for _ in range(iters):
        sc = np.sqrt(w) / d
        c, *_ = np.linalg.lstsq(V[:, k:] * sc[:, None], r * sc, rcond=None)
        e = np.abs(V[:, k:] @ c - r) / d
        w = w * e
        w /= w.sum()
    return list(fixed) + list(c), V, y, d


def fit(f, lo, hi, deg, var, den=None):
    fixed = []
    for j in range(deg + 1):
        c, V, y, d = lawson(f, lo, hi, deg, var, fixed, den)
        fixed.append(float(np.float32(c[j])))
    return fixed, np.max(np.abs(V @ np.array(fixed) - y) / d)


erf = np.vectorize(math.erf)
erfc = np.vectorize(math.erfc)
g = lambda x: erfc(x) * np.exp(x * x)
FITS = [
    # name, function, interval, degree, variable, relative to (default: the function)
    ('erf, |x| < 1: erf(x)/x - 1 in x^2', lambda x: erf(x) / x - 1, 1e-6, 1.0, 6, lambda x: x * x, lambda x: erf(x) / x),
    ('erfc(x) exp(x^2) on [1/2, 1] in x - 3/4', g, 0.5, 1.0, 6, lambda x: x - 0.75, None),
    ('erfc(x) exp(x^2) on [1, 3.92] in 1/x', g, 1.0, 3.92, 9, lambda x: 1 / x, None),
    ('erfc(x) exp(x^2) on [3.92, 10.6] in 1/x', g, 3.9, 10.6, 6, lambda x: 1 / x, None),
    ('tanh, |x| < 0.625: (tanh(x) - x)/x^3 in x^2', lambda x: (np.tanh(x) - x) / x**3, 1e-4, 0.625, 5, lambda x: x * x, None),
]
for name, f, lo, hi, deg, var, den in FITS:
    c, e = fit(f, lo, hi, deg, var, den)
    print('%s: max relative error %.3g\n  c0..c%d = %s' % (name, e, deg, ', '.join(float(v).hex() + 'f' for v in c)))

# 2/pi to 256 bits from Machin's formula in integer arithmetic.
P = 400
def atan_inv(n):
    s, t, k = 0, (1 << P) // n, 0
    while t:
        s += t // (2 * k + 1) if k % 2 == 0 else -(t // (2 * k + 1))
        t //= n * n
        k += 1
    return s
pi = 16 * atan_inv(5) - 4 * atan_inv(239)
two_over_pi = (2 << (2 * P)) // pi
print('2/pi, 32 bits a word from the units bit:', ', '.join('0x%08x' % ((two_over_pi >> (P - 31 - 32 * k)) & 0xffffffff) for k in range(8)))
