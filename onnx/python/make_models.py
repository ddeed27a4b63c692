#!/usr/bin/env python3
"""Builds the ONNX models that ship with autospec-onnx (run with Debian's python3: python3-torch,
python3-sklearn, python3-onnx; 2 CPU cores, a few minutes).

Outputs (paths relative to the onnx/ module):
  models/digits.onnx          any-order model of binarized 8x8 digits (n = 64, q = 2), trained
  models/digits-random.onnx   the same network, randomly initialised (untrained)
  models/digits.json          data split, epochs, held-out losses (the training record)
  src/test/resources/io/autospec/onnx/tiny.onnx      random-weight model, n = 4, q = 3 (tests)
  src/test/resources/io/autospec/onnx/bad-*.onnx     models that break the contract (tests)
  src/test/resources/io/autospec/onnx/dynamic.onnx   dynamic n, q = 2 (n from options)

Every model follows the contract of io.autospec.onnx.OnnxOracle: one int64 input [B, n] holding
pinned values 0..q-1 and the mask id q elsewhere; one output [B, n, q] of logits.
"""
import json
import math
import os
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
MODELS = os.path.join(MODULE, "models")
TEST_RES = os.path.join(MODULE, "src", "test", "resources", "io", "autospec", "onnx")
OPSET = 13


class AnyOrderMlp(nn.Module):
    """Masked-token MLP: a per-(position, token) embedding summed over positions (= a linear layer
    on the one-hot input, mask included), residual hidden layers, n*q logits."""

    def __init__(self, n, q, hidden, layers):
        super().__init__()
        self.n, self.q = n, q
        self.embed = nn.Embedding(n * (q + 1), hidden)
        self.register_buffer("offsets", torch.arange(n, dtype=torch.int64) * (q + 1))
        self.bias = nn.Parameter(torch.zeros(hidden))
        self.blocks = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.out = nn.Linear(hidden, n * q)

    def forward(self, tokens):
        h = self.embed(tokens + self.offsets).sum(dim=1) + self.bias
        for norm, block in zip(self.norms, self.blocks):
            h = h + block(F.gelu(norm(h)))
        return self.out(h).reshape(-1, self.n, self.q)


def export(model, n, path):
    model.eval()
    dummy = torch.zeros(2, n, dtype=torch.int64)
    torch.onnx.export(model, dummy, path, input_names=["tokens"], output_names=["logits"],
                      dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    print(f"wrote {os.path.relpath(path, MODULE)} ({os.path.getsize(path)} bytes)")


def random_masks(gen, batch, n):
    """The any-order objective's masks: a fraction r ~ U(0, 1] of positions masked, at least one."""
    r = torch.rand(batch, 1, generator=gen)
    mask = torch.rand(batch, n, generator=gen) < r
    none = ~mask.any(dim=1)
    forced = torch.randint(0, n, (batch,), generator=gen)
    mask[none, forced[none]] = True
    return mask


def masked_loss(model, x, mask, q):
    logits = model(torch.where(mask, torch.full_like(x, q), x))
    ce = F.cross_entropy(logits.reshape(-1, q), x.reshape(-1), reduction="none").reshape(x.shape)
    return (ce * mask).sum() / mask.sum()


@torch.no_grad()
def order_nll_bits(model, x, q, gen):
    """-log2 mu(x) under sequential any-order sampling along one uniformly random order per image
    (an unbiased estimate of the any-order model's NLL averaged over orders), bits per image."""
    b, n = x.shape
    total = torch.zeros(b)
    order = torch.argsort(torch.rand(b, n, generator=gen), dim=1)
    pinned = torch.zeros(b, n, dtype=torch.bool)
    rows = torch.arange(b)
    for step in range(n):
        pos = order[:, step]
        logp = F.log_softmax(model(torch.where(pinned, x, torch.full_like(x, q))), dim=-1)
        total -= logp[rows, pos, x[rows, pos]]
        pinned[rows, pos] = True
    return (total / math.log(2)).mean().item()


def train_digits(record):
    from sklearn.datasets import load_digits
    torch.manual_seed(11)
    gen = torch.Generator().manual_seed(11)
    images = load_digits().images.reshape(-1, 64)                # 1797 x 64, values 0..16
    x_all = torch.tensor((images >= 8).astype(np.int64))        # binarized at half intensity
    perm = torch.randperm(len(x_all), generator=gen)
    held = 297
    test, train = x_all[perm[:held]], x_all[perm[held:]]
    n, q, hidden, layers = 64, 2, 256, 3
    model = AnyOrderMlp(n, q, hidden, layers)
    untrained = AnyOrderMlp(n, q, hidden, layers)
    untrained.load_state_dict(model.state_dict())
    epochs, batch = int(os.environ.get("EPOCHS", "150")), 100
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    eval_gen = torch.Generator().manual_seed(7)
    test_masks = random_masks(eval_gen, len(test), n)
    start = time.time()
    history = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train), generator=gen)
        for i in range(0, len(train), batch):
            xb = train[order[i:i + batch]]
            loss = masked_loss(model, xb, random_masks(gen, len(xb), n), q)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if (epoch + 1) % 10 == 0:
            model.eval()
            with torch.no_grad():
                held_loss = masked_loss(model, test, test_masks, q).item()
            history.append({"epoch": epoch + 1, "heldOutMaskedCrossEntropyNats": round(held_loss, 5)})
            print(f"epoch {epoch + 1}: held-out masked CE {held_loss:.4f} nats "
                  f"({time.time() - start:.0f} s)", flush=True)
    model.eval()
    untrained.eval()
    with torch.no_grad():
        record.update({
            "data": "scikit-learn load_digits (UCI 8x8 optical digits), 1797 images; pixel >= 8 of 16 -> 1",
            "split": {"seed": 11, "train": len(train), "heldOut": held},
            "model": {"kind": "any-order MLP", "n": n, "q": q, "hidden": hidden, "residualLayers": layers,
                      "parameters": sum(p.numel() for p in model.parameters())},
            "objective": "mask a fraction r ~ U(0,1] of positions (at least one); cross-entropy on masked positions",
            "training": {"epochs": epochs, "batch": batch, "optimizer": "AdamW lr 2e-3 wd 1e-2, cosine",
                         "seconds": round(time.time() - start, 1), "torchThreads": torch.get_num_threads()},
            "history": history,
            "heldOut": {
                "maskedCrossEntropyNats": round(masked_loss(model, test, test_masks, q).item(), 5),
                "trainMaskedCrossEntropyNats": round(masked_loss(model, train, random_masks(eval_gen, len(train), n), q).item(), 5),
                "untrainedMaskedCrossEntropyNats": round(masked_loss(untrained, test, test_masks, q).item(), 5),
                "randomOrderNllBitsPerImage": round(order_nll_bits(model, test, q, torch.Generator().manual_seed(3)), 3),
                "untrainedRandomOrderNllBitsPerImage": round(order_nll_bits(untrained, test, q, torch.Generator().manual_seed(3)), 3),
                "onesFraction": round(test.float().mean().item(), 4),
            },
        })
    export(model, n, os.path.join(MODELS, "digits.onnx"))
    export(untrained, n, os.path.join(MODELS, "digits-random.onnx"))


def tiny():
    """Random weights, large enough that conditionals depend strongly (and inconsistently) on context."""
    torch.manual_seed(5)
    model = AnyOrderMlp(4, 3, 16, 1)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 1.2)
    export(model, 4, os.path.join(TEST_RES, "tiny.onnx"))


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    path = os.path.join(TEST_RES, name)
    onnx.save(model, path)
    print(f"wrote {os.path.relpath(path, MODULE)}")


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def scaled_graph(name, in_type, in_shape, n, q, table, out_dims=None):
    """logits[b, i, v] = float(tokens[b, i]) * table[0, i, v]: a small valid-looking graph."""
    nodes = [helper.make_node("Cast", ["tokens"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("Unsqueeze", ["f", "axis"], ["u"]),
             helper.make_node("Mul", ["u", "table"], ["logits"])]
    inits = [const("axis", np.array([2], dtype=np.int64)), const("table", table.astype(np.float32))]
    return helper.make_graph(nodes, name, [helper.make_tensor_value_info("tokens", in_type, in_shape)],
                             [helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_dims or ["batch", n, q])],
                             inits)


def contract_breakers():
    rng = np.random.default_rng(1)
    save(scaled_graph("float input", TensorProto.FLOAT, ["batch", 3], 3, 2, rng.normal(size=(1, 3, 2))), "bad-float-input.onnx")
    nan_table = rng.normal(size=(1, 3, 2))
    nan_table[0, 1, 0] = np.nan
    save(scaled_graph("nan logits", TensorProto.INT64, ["batch", 3], 3, 2, nan_table), "bad-nan.onnx")
    save(scaled_graph("dynamic n", TensorProto.INT64, ["batch", "n"], "n", 2, rng.normal(size=(1, 1, 2))), "dynamic.onnx")
    # rank 1 input: tokens [B] -> logits [B, 1, 2]
    nodes = [helper.make_node("Cast", ["tokens"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("Unsqueeze", ["f", "axes"], ["u"]),
             helper.make_node("Mul", ["u", "table"], ["logits"])]
    save(helper.make_graph(nodes, "rank 1 input",
                           [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch"])],
                           [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1, 2])],
                           [const("axes", np.array([1, 2], dtype=np.int64)), const("table", np.ones((1, 1, 2), np.float32))]),
         "bad-rank.onnx")
    # output n differs from input n: tokens [B, 3] -> logits [B, 4, 2]
    nodes = [helper.make_node("Shape", ["tokens"], ["shape"]),
             helper.make_node("Slice", ["shape", "zero", "one"], ["batch"]),
             helper.make_node("Concat", ["batch", "tail"], ["target"], axis=0),
             helper.make_node("Expand", ["table", "target"], ["logits"])]
    save(helper.make_graph(nodes, "output n differs",
                           [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", 3])],
                           [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 4, 2])],
                           [const("zero", np.array([0], np.int64)), const("one", np.array([1], np.int64)),
                            const("tail", np.array([4, 2], np.int64)), const("table", np.ones((1, 4, 2), np.float32))]),
         "bad-output-n.onnx")


def main():
    # One thread: on a shared 2-core machine, two OpenMP threads spin against each other (15x slower).
    torch.set_num_threads(1)
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(TEST_RES, exist_ok=True)
    tiny()
    contract_breakers()
    if "--tiny-only" in sys.argv:
        return
    record = {"script": "onnx/python/make_models.py", "torch": torch.__version__, "onnx": onnx.__version__}
    train_digits(record)
    with open(os.path.join(MODELS, "digits.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps(record["heldOut"], indent=2))


if __name__ == "__main__":
    main()
