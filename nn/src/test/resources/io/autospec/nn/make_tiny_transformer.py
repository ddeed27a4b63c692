"""Writes tiny-transformer.onnx: a one-block any-order transformer small enough for unit tests.

tokens [batch, n] int64 (ids 0..q-1, mask id q) -> logits [batch, n, q] float32, n = 8, q = 4.
Embedding + learned positions, pre-LayerNormalization (opset 17), two-head self-attention
(MatMul/Transpose/Softmax, head split by Reshape with a Shape-derived batch), exact Gelu written
with Erf, residuals, a final LayerNormalization and a linear head. Random weights (seed 7), scaled
so that the logits vary. Run with /usr/bin/python3 (onnx 1.12) from outside the repository root:
    cd /tmp && /usr/bin/python3 /path/to/make_tiny_transformer.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

N, Q, D, H, FF = 8, 4, 8, 2, 16
HD = D // H
rng = np.random.RandomState(7)


def w(name, *shape, scale=0.5):
    return numpy_helper.from_array((rng.randn(*shape) * scale).astype(np.float32), name)


def ints(name, *values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


inits = [
    w("embed", Q + 1, D, scale=1.0), w("pos", N, D, scale=0.3),
    w("ln1.w", D, scale=0.2), w("ln1.b", D, scale=0.1),
    w("qkv.w", D, 3 * D), w("qkv.b", 3 * D, scale=0.1),
    w("proj.w", D, D), w("proj.b", D, scale=0.1),
    w("ln2.w", D, scale=0.2), w("ln2.b", D, scale=0.1),
    w("fc1.w", D, FF), w("fc1.b", FF, scale=0.1), w("fc2.w", FF, D, scale=0.3), w("fc2.b", D, scale=0.1),
    w("lnf.w", D, scale=0.2), w("lnf.b", D, scale=0.1),
    w("head.w", D, Q, scale=1.0), w("head.b", Q, scale=0.1),
    ints("zero", 0), ints("one", 1), ints("two", 2), ints("axis0", 0),
    ints("heads", N, 3, H, HD), ints("merge", N, D),
    numpy_helper.from_array(np.array(1.0 / np.sqrt(HD), dtype=np.float32), "scale"),
    numpy_helper.from_array(np.array(np.sqrt(2.0), dtype=np.float32), "sqrt2"),
    numpy_helper.from_array(np.array(1.0, dtype=np.float32), "f1"),
    numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
]

n = helper.make_node
nodes = [
    n("Gather", ["embed", "tokens"], ["e"]),
    n("Add", ["e", "pos"], ["x0"]),
    n("LayerNormalization", ["x0", "ln1.w", "ln1.b"], ["h1"], axis=-1, epsilon=1e-5),
    n("MatMul", ["h1", "qkv.w"], ["qkv0"]),
    n("Add", ["qkv0", "qkv.b"], ["qkv"]),
    # [batch, n, 3, heads, hd] with the batch read from the tensor's own shape
    n("Shape", ["tokens"], ["tshape"]),
    n("Gather", ["tshape", "zero"], ["b"], axis=0),
    n("Concat", ["b", "heads"], ["split"], axis=0),
    n("Reshape", ["qkv", "split"], ["qkv5"]),
    n("Transpose", ["qkv5"], ["qkvT"], perm=[2, 0, 3, 1, 4]),
    n("Gather", ["qkvT", "axis0"], ["q3"], axis=0),
    n("Gather", ["qkvT", "one"], ["k3"], axis=0),
    n("Gather", ["qkvT", "two"], ["v3"], axis=0),
    n("Squeeze", ["q3", "axis0"], ["qh"]),
    n("Squeeze", ["k3", "axis0"], ["kh"]),
    n("Squeeze", ["v3", "axis0"], ["vh"]),
    n("Transpose", ["kh"], ["khT"], perm=[0, 1, 3, 2]),
    n("MatMul", ["qh", "khT"], ["s0"]),
    n("Mul", ["s0", "scale"], ["s"]),
    n("Softmax", ["s"], ["p"], axis=-1),
    n("MatMul", ["p", "vh"], ["o"]),
    n("Transpose", ["o"], ["oT"], perm=[0, 2, 1, 3]),
    n("Concat", ["b", "merge"], ["mshape"], axis=0),
    n("Reshape", ["oT", "mshape"], ["att"]),
    n("MatMul", ["att", "proj.w"], ["pr0"]),
    n("Add", ["pr0", "proj.b"], ["pr"]),
    n("Add", ["x0", "pr"], ["x1"]),
    n("LayerNormalization", ["x1", "ln2.w", "ln2.b"], ["h2"], axis=-1, epsilon=1e-5),
    n("MatMul", ["h2", "fc1.w"], ["f0"]),
    n("Add", ["f0", "fc1.b"], ["f"]),
    n("Div", ["f", "sqrt2"], ["fs"]),
    n("Erf", ["fs"], ["ef"]),
    n("Add", ["ef", "f1"], ["ef1"]),
    n("Mul", ["f", "ef1"], ["g0"]),
    n("Mul", ["g0", "half"], ["g"]),
    n("MatMul", ["g", "fc2.w"], ["m0"]),
    n("Add", ["m0", "fc2.b"], ["m"]),
    n("Add", ["x1", "m"], ["x2"]),
    n("LayerNormalization", ["x2", "lnf.w", "lnf.b"], ["hf"], axis=-1, epsilon=1e-5),
    n("MatMul", ["hf", "head.w"], ["l0"]),
    n("Add", ["l0", "head.b"], ["logits"]),
]

graph = helper.make_graph(
    nodes, "tiny-transformer",
    [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", N])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", N, Q])],
    inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_tiny_transformer.py")
model.ir_version = 8
helper.set_model_props(model, {"autospec.kind": "text", "autospec.q": str(Q), "autospec.mask": str(Q)})
onnx.checker.check_model(model, full_check=True)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-transformer.onnx")
onnx.save(model, out)
print("wrote", out, os.path.getsize(out), "bytes")
