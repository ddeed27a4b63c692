#!/usr/bin/env python3
"""Writes small ONNX graphs whose declared shapes break the contract in ways the loader must refuse
(run with /usr/bin/python3 and the onnx package, from any directory other than the repository root):

  src/test/resources/io/autospec/onnx/bad-batch-huge.onnx    tokens [4294967297, 4]: a static batch past 32 bits
  src/test/resources/io/autospec/onnx/bad-n-zero.onnx        tokens [B, 0]: n declared as 0 (not dynamic)
  src/test/resources/io/autospec/onnx/bad-output-rank2.onnx  logits [B, 4]: an output of rank 2

Each is "tokens -> float -> three copies along a new last axis", the logits of q = 3 equal values.
"""
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_RES = os.path.join(os.path.dirname(HERE), "src", "test", "resources", "io", "autospec", "onnx")


def graph(batch, n, rank2, path):
    tokens = helper.make_tensor_value_info("tokens", TensorProto.INT64, [batch, n])
    nodes = [helper.make_node("Cast", ["tokens"], ["f"], to=TensorProto.FLOAT)]
    if rank2:
        out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, n])
        nodes.append(helper.make_node("Identity", ["f"], ["logits"]))
    else:
        out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, n, 3])
        axes = helper.make_tensor("axes", TensorProto.INT64, [1], [2])
        nodes.append(helper.make_node("Unsqueeze", ["f", "axes"], ["u"]))
        nodes.append(helper.make_node("Concat", ["u", "u", "u"], ["logits"], axis=2))
    g = helper.make_graph(nodes, "shape_fixture", [tokens], [out],
                          initializer=[] if rank2 else [axes])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.save(model, os.path.join(TEST_RES, path))


graph(4294967297, 4, False, "bad-batch-huge.onnx")
graph("B", 0, False, "bad-n-zero.onnx")
graph("B", 4, True, "bad-output-rank2.onnx")
