#!/usr/bin/python3
"""Builds the ONNX denoiser test fixtures (needs numpy and onnx only; seconds). The build and the
tests never run Python: the outputs are committed under
src/test/resources/io/autospec/onnx/denoiser/.

Every graph follows the contract of io.autospec.onnx.OnnxDenoiser (EDM convention): float32 inputs
x [B, d] and sigma [B]; output D [B, d] = E[x0 | x0 + sigma * noise = x].

  mixture.onnx        the EXACT denoiser of the Gaussian mixture in mixture.csv (gmm: file format:
                      weight, variance, mean coordinates), written as a graph
  mixture.csv         that mixture, for the built-in gmm:PATH
  mixture-sigma-squared.onnx   planted: the graph uses sigma^2 where sigma belongs
  mixture-sigma-as-t.onnx      planted: the graph uses 1/sigma^2 (sigma fed as t) where sigma belongs
  mixture-column.onnx the same exact denoiser with sigma of shape [B, 1] and other input names
  atoms1d.onnx        the exact denoiser of two atoms on the line (-1.5: 0.7, 1.5: 0.3), d = 1
  mixture-check.csv   sigma, x..., D(x; sigma)... in float64 (numpy) for a few points
  bad-*.onnx          graphs that break the contract (int input, wrong ranks, dims, NaN output, ...)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "src", "test", "resources", "io", "autospec", "onnx", "denoiser")
OPSET = 13

# The mixture: k = 3 isotropic components in d = 2.
WEIGHTS = np.array([0.5, 0.3, 0.2])
VARIANCES = np.array([0.1, 0.3, 0.05])
MEANS = np.array([[-2.0, 0.0], [2.0, 1.0], [0.0, -2.0]])


def const(name, a):
    return numpy_helper.from_array(np.asarray(a, dtype=np.float32), name)


def mixture_graph(weights, variances, means, path, sigma_op=None, sigma_column=False, names=("x", "sigma"),
                  batch="B", metadata=None):
    """D(z; s) for sum_k w_k N(m_k, v_k I): r_k = softmax(log w_k - d/2 log(v_k + s^2) - |z - m_k|^2 / (2 (v_k + s^2))),
    D = sum_k r_k (m_k + v_k / (v_k + s^2) (z - m_k))."""
    k, d = means.shape
    xn, sn = names
    nodes = []
    inits = [const("logw", np.log(weights)[None, :]), const("var", variances[None, :]), const("means3", means[None, :, :]),
             const("means", means), const("half_d", [d / 2.0]), const("half", [0.5]), const("one", [1.0])]
    if sigma_column:
        nodes.append(helper.make_node("Identity", [sn], ["s_col"]))
    else:
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"))
        nodes.append(helper.make_node("Unsqueeze", [sn, "axis1"], ["s_col"]))
    # s2 = sigma^2 (planted variants change what the graph takes as sigma)
    s = "s_col"
    if sigma_op == "squared":
        nodes.append(helper.make_node("Mul", ["s_col", "s_col"], ["s_sq_planted"]))
        s = "s_sq_planted"
    elif sigma_op == "as-t":
        nodes.append(helper.make_node("Mul", ["s_col", "s_col"], ["s_t2"]))
        nodes.append(helper.make_node("Div", ["one", "s_t2"], ["s_inv_planted"]))
        s = "s_inv_planted"
    nodes += [
        helper.make_node("Mul", [s, s], ["s2"]),                       # [B,1]
        helper.make_node("Add", ["var", "s2"], ["v"]),                 # [B,K]
        helper.make_node("Unsqueeze", [xn, "axis1b"], ["z3"]),         # [B,1,d]
        helper.make_node("Sub", ["z3", "means3"], ["diff"]),           # [B,K,d]
        helper.make_node("Mul", ["diff", "diff"], ["diff2"]),
        helper.make_node("ReduceSum", ["diff2", "axis2"], ["dist"], keepdims=0),  # [B,K]
        helper.make_node("Div", ["dist", "v"], ["dv"]),
        helper.make_node("Mul", ["dv", "half"], ["dv2"]),
        helper.make_node("Log", ["v"], ["logv"]),
        helper.make_node("Mul", ["logv", "half_d"], ["logv_d"]),
        helper.make_node("Sub", ["logw", "logv_d"], ["l1"]),
        helper.make_node("Sub", ["l1", "dv2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["r"], axis=1),
        helper.make_node("Div", ["var", "v"], ["c"]),                  # v_k / (v_k + s^2)
        helper.make_node("Sub", ["one", "c"], ["omc"]),
        helper.make_node("Mul", ["r", "omc"], ["a"]),
        helper.make_node("MatMul", ["a", "means"], ["mpart"]),         # [B,d]
        helper.make_node("Mul", ["r", "c"], ["rc"]),
        helper.make_node("ReduceSum", ["rc", "axis1"], ["rcs"], keepdims=1),  # [B,1]
        helper.make_node("Mul", ["rcs", xn], ["zpart"]),
        helper.make_node("Add", ["mpart", "zpart"], ["D"]),
    ]
    inits += [numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1b"),
              numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2")]
    if sigma_column:
        pass
    if not any(i.name == "axis1" for i in inits):
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"))
    sshape = [batch, 1] if sigma_column else [batch]
    graph = helper.make_graph(
        nodes, "mixture_denoiser",
        [helper.make_tensor_value_info(xn, TensorProto.FLOAT, [batch, d]),
         helper.make_tensor_value_info(sn, TensorProto.FLOAT, sshape)],
        [helper.make_tensor_value_info("D", TensorProto.FLOAT, [batch, d])], inits)
    save(graph, path, metadata)


def save(graph, path, metadata=None):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="autospec")
    model.ir_version = 8
    if metadata:
        for key, value in metadata.items():
            entry = model.metadata_props.add()
            entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, path))


def exact(weights, variances, means, z, s):
    """float64 reference of the mixture's EDM denoiser."""
    k, d = means.shape
    v = variances[None, :] + s[:, None] ** 2
    dist = ((z[:, None, :] - means[None, :, :]) ** 2).sum(-1)
    logits = np.log(weights)[None, :] - d / 2 * np.log(v) - dist / (2 * v)
    logits -= logits.max(1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(1, keepdims=True)
    c = variances[None, :] / v
    return (r * (1 - c)) @ means + (r * c).sum(1, keepdims=True) * z


def simple(path, inputs, outputs, nodes, inits=()):
    graph = helper.make_graph(nodes, "bad", inputs, outputs, list(inits))
    save(graph, path)


def bad_models():
    F, I = TensorProto.FLOAT, TensorProto.INT64
    vi = helper.make_tensor_value_info
    # int64 x
    simple("bad-int-x.onnx", [vi("x", I, ["B", 2]), vi("sigma", F, ["B"])], [vi("D", F, ["B", 2])],
           [helper.make_node("Cast", ["x"], ["D"], to=F)])
    # x of rank 3
    simple("bad-rank-x.onnx", [vi("x", F, ["B", 2, 2]), vi("sigma", F, ["B"])], [vi("D", F, ["B", 2, 2])],
           [helper.make_node("Identity", ["x"], ["D"])])
    # sigma [B, 2]
    simple("bad-sigma-shape.onnx", [vi("x", F, ["B", 2]), vi("sigma", F, ["B", 2])], [vi("D", F, ["B", 2])],
           [helper.make_node("Add", ["x", "sigma"], ["D"])])
    # output d differs from x's d
    simple("bad-output-d.onnx", [vi("x", F, ["B", 2]), vi("sigma", F, ["B"])], [vi("D", F, ["B", 3])],
           [helper.make_node("Slice", ["x", "st", "en", "ax"], ["xs"]),
            helper.make_node("Concat", ["x", "xs"], ["D"], axis=1)],
           [numpy_helper.from_array(np.array([0], dtype=np.int64), "st"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "en"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "ax")])
    # a single input
    simple("bad-one-input.onnx", [vi("x", F, ["B", 2])], [vi("D", F, ["B", 2])], [helper.make_node("Identity", ["x"], ["D"])])
    # NaN output for sigma < 1 (D = x * sqrt(sigma - 1)): fine at t = 0 (sigma 80), NaN once t > 1
    simple("bad-nan.onnx", [vi("x", F, ["B", 2]), vi("sigma", F, ["B"])], [vi("D", F, ["B", 2])],
           [helper.make_node("Sub", ["sigma", "one"], ["sm1"]),
            helper.make_node("Sqrt", ["sm1"], ["sq"]),
            helper.make_node("Unsqueeze", ["sq", "axis1"], ["sqc"]),
            helper.make_node("Mul", ["x", "sqc"], ["D"])],
           [const("one", [1.0]), numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")])
    # dynamic d (d from the option)
    simple("dynamic-d.onnx", [vi("x", F, ["B", "d"]), vi("sigma", F, ["B"])], [vi("D", F, ["B", "d"])],
           [helper.make_node("Identity", ["x"], ["D"])])


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "mixture.csv"), "w") as f:
        f.write("# weight, variance, mean (d = 2): the mixture of mixture.onnx (make_denoiser_fixtures.py)\n")
        for w, v, m in zip(WEIGHTS, VARIANCES, MEANS):
            f.write(",".join(repr(float(a)) for a in [w, v, *m]) + "\n")
    mixture_graph(WEIGHTS, VARIANCES, MEANS, "mixture.onnx", metadata={"sigma_max": "10000"})
    mixture_graph(WEIGHTS, VARIANCES, MEANS, "mixture-sigma-squared.onnx", sigma_op="squared")
    mixture_graph(WEIGHTS, VARIANCES, MEANS, "mixture-sigma-as-t.onnx", sigma_op="as-t")
    mixture_graph(WEIGHTS, VARIANCES, MEANS, "mixture-column.onnx", sigma_column=True, names=("noisy", "noise_level"))
    mixture_graph(np.array([0.7, 0.3]), np.array([0.0, 0.0]), np.array([[-1.5], [1.5]]), "atoms1d.onnx")
    rng = np.random.default_rng(7)
    z = rng.normal(size=(16, 2)) * 2
    s = np.exp(rng.uniform(np.log(0.02), np.log(100), size=16))
    ref = exact(WEIGHTS, VARIANCES, MEANS, z, s)
    with open(os.path.join(OUT, "mixture-check.csv"), "w") as f:
        f.write("# sigma, x1, x2, D1, D2 (float64 reference of mixture.onnx; make_denoiser_fixtures.py)\n")
        for i in range(16):
            f.write(",".join(repr(float(a)) for a in [s[i], *z[i], *ref[i]]) + "\n")
    bad_models()
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
