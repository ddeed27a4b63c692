#!/usr/bin/env python3
"""Builds the fixture of `autospec inspect` for a network autospec's executor cannot run (run with
Debian's python3 and its onnx package, from outside the repository root):

  src/test/resources/io/autospec/onnx/unsupported-op.onnx
      an AR model of the onnx: contract (tokens int64 [B, 4] -> logits [B, 4, 3]) whose hidden layer
      is a HardSwish (node 'hidden_hardswish'), an op ONNX Runtime runs and no nn step implements.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "src", "test", "resources", "io", "autospec", "onnx", "unsupported-op.onnx")

rng = np.random.default_rng(7)
n, q, hidden = 4, 3, 8
w1 = numpy_helper.from_array(rng.normal(0, 0.5, (n, hidden)).astype(np.float32), "w1")
w2 = numpy_helper.from_array(rng.normal(0, 0.5, (hidden, n * q)).astype(np.float32), "w2")
shape = numpy_helper.from_array(np.array([-1, n, q], dtype=np.int64), "logits_shape")
nodes = [
    helper.make_node("Cast", ["tokens"], ["x"], to=TensorProto.FLOAT, name="tokens_to_float"),
    helper.make_node("MatMul", ["x", "w1"], ["h"], name="hidden_matmul"),
    helper.make_node("HardSwish", ["h"], ["a"], name="hidden_hardswish"),
    helper.make_node("MatMul", ["a", "w2"], ["flat"], name="out_matmul"),
    helper.make_node("Reshape", ["flat", "logits_shape"], ["logits"], name="to_logits"),
]
graph = helper.make_graph(
    nodes, "unsupported_op",
    [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", n])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", n, q])],
    initializer=[w1, w2, shape])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="make_inspect_fixtures.py")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, OUT)
print("wrote", OUT, os.path.getsize(OUT), "bytes")
